package io.flinkplatform.engine.internal.alert;

import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.engine.alert.AlertKind;
import io.flinkplatform.engine.alert.AlertRule;
import io.flinkplatform.engine.alert.SilenceSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * The checks of a rule and a silence that need no database: each refusal an {@link
 * InvalidRequestException} naming the field.
 */
final class RuleChecks {
  /** Longest template. */
  static final int MAX_TEMPLATE = 4000;

  /** Longest rate-limit window. */
  static final Duration MAX_RATE_LIMIT = Duration.ofDays(1);

  /** How far ahead a silence may end. */
  static final Duration MAX_SILENCE = Duration.ofDays(30);

  /** Longest reason of a silence (the column's size). */
  static final int MAX_REASON = 1000;

  private RuleChecks() {}

  static void check(AlertRule r) {
    Names.name("name", "rule", r.name());
    AlertKind kind = r.kind();
    if (kind == AlertKind.TEST) {
      throw new InvalidRequestException(
          "kind", "TEST is the kind of test sends (Alerts.test), not of rules");
    }
    if (r.channels().isEmpty()) {
      throw new InvalidRequestException("channels", "a rule needs at least one channel");
    }
    Set<String> seen = new HashSet<>();
    for (String c : r.channels()) {
      Names.name("channels", "channel", c);
      if (!seen.add(c)) {
        throw new InvalidRequestException("channels", "channel '" + c + "' is named twice");
      }
    }
    Names.filter("workflow", r.workflow());
    if (kind.scope() != AlertKind.Scope.TASK) {
      if (r.task() != null) {
        throw notFor("task", kind, "task filters apply to task kinds only");
      }
      if (r.label() != null) {
        throw notFor("label", kind, "label filters apply to task kinds only");
      }
    }
    Names.filter("task", r.task());
    Names.filter("label", r.label());
    if (kind.needsDuration()) {
      if (r.after() == null || r.after().isNegative() || r.after().isZero()) {
        throw new InvalidRequestException(
            "after", kind + " needs after(duration), a positive duration, but got " + r.after());
      }
    } else if (r.after() != null) {
      throw notFor(
          "after", kind, "after applies to RUN_OVERDUE, TASK_OVERDUE, DATABASE_UNREACHABLE");
    }
    if (kind.needsDeadline()) {
      if (r.deadline() == null) {
        throw new InvalidRequestException("deadline", kind + " needs deadline(time of day, zone)");
      }
    } else if (r.deadline() != null) {
      throw notFor("deadline", kind, "deadline applies to RUN_DEADLINE and TASK_DEADLINE only");
    }
    if (kind == AlertKind.FLINK_CHECKPOINTS_FAILING && r.threshold() < 1) {
      throw new InvalidRequestException(
          "threshold", "threshold must be at least 1 but was " + r.threshold());
    }
    if (r.template() != null) {
      if (r.template().isBlank()) {
        throw new InvalidRequestException(
            "template", "template is blank; leave it out for the kind's default text");
      }
      if (r.template().length() > MAX_TEMPLATE) {
        throw new InvalidRequestException(
            "template",
            "template has "
                + r.template().length()
                + " characters; at most "
                + MAX_TEMPLATE
                + " are allowed");
      }
    }
    if (r.rateLimit().isNegative() || r.rateLimit().compareTo(MAX_RATE_LIMIT) > 0) {
      throw new InvalidRequestException(
          "rateLimit",
          "rateLimit must be from 0 (send every alert) to "
              + MAX_RATE_LIMIT
              + " but was "
              + r.rateLimit());
    }
  }

  private static InvalidRequestException notFor(String field, AlertKind kind, String why) {
    return new InvalidRequestException(field, field + " is not allowed for " + kind + ": " + why);
  }

  /** Checks a silence's own fields ({@code rule}'s existence is checked with the store). */
  static void check(SilenceSpec s, Instant now) {
    if (s.rule() != null) {
      Names.name("rule", "rule", s.rule());
    }
    Names.filter("workflow", s.workflow());
    if (!s.endsAt().isAfter(now)) {
      throw new InvalidRequestException(
          "endsAt", "endsAt " + s.endsAt() + " is not in the future (now " + now + ")");
    }
    if (s.endsAt().isAfter(now.plus(MAX_SILENCE))) {
      throw new InvalidRequestException(
          "endsAt",
          "endsAt " + s.endsAt() + " is more than " + MAX_SILENCE.toDays() + " days ahead");
    }
    if (s.reason().isBlank() || s.reason().length() > MAX_REASON) {
      throw new InvalidRequestException(
          "reason",
          "reason must have 1 to "
              + MAX_REASON
              + " characters (not only spaces) but has "
              + s.reason().length());
    }
  }
}
