package io.flinkplatform.spi;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;

/**
 * One alert as a channel sends it.
 *
 * @param idempotencyKey the same for every send of this alert to this channel (retries and resends
 *     after a crash included); a receiver that keeps the keys it saw can drop repeats
 * @param kind what happened, e.g. {@code RUN_FAILED} (the engine's {@code AlertKind})
 * @param severity {@code INFO}, {@code WARNING} or {@code CRITICAL}
 * @param workspace the workspace of the rule that raised it
 * @param rule the name of that rule
 * @param title one line, e.g. {@code [CRITICAL] run 42 of etl_daily FAILED}
 * @param text the rule's template filled in with the facts (plain text, may span lines)
 * @param link the console page of the run or the thing alerted on, or {@code null} without a
 *     console
 * @param at when it was raised
 * @param facts the values the template could use (run, workflow, task, state, ...), never secrets
 * @param count 1, or how many alerts of the rule this one sums up when it is a digest
 */
public record AlertMessage(
    String idempotencyKey,
    String kind,
    String severity,
    String workspace,
    String rule,
    String title,
    String text,
    String link,
    Instant at,
    Map<String, String> facts,
    int count) {

  public AlertMessage {
    requireNonNull(idempotencyKey, "idempotencyKey is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(severity, "severity is null");
    requireNonNull(workspace, "workspace is null");
    requireNonNull(rule, "rule is null");
    requireNonNull(title, "title is null");
    requireNonNull(text, "text is null");
    requireNonNull(at, "at is null");
    facts = Map.copyOf(requireNonNull(facts, "facts is null"));
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1");
    }
  }

  /** Whether this alert sums up several of its rule's alerts (held back by its rate limit). */
  public boolean digest() {
    return count > 1;
  }
}
