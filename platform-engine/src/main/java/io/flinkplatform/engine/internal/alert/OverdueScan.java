package io.flinkplatform.engine.internal.alert;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.alert.AlertKind;
import io.flinkplatform.engine.alert.AlertRule;
import io.flinkplatform.engine.internal.common.Loop;
import io.flinkplatform.engine.internal.store.AlertRuleRow;
import io.flinkplatform.engine.internal.store.AlertScanRow;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.internal.store.StoreMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pass that raises what only the passing of time makes true: {@link AlertKind#RUN_OVERDUE},
 * {@link AlertKind#TASK_OVERDUE}, {@link AlertKind#RUN_DEADLINE} and {@link
 * AlertKind#TASK_DEADLINE}. It reads the database, not this instance's memory, so an instance that
 * starts after a deadline passed (none was up at it) raises what that deadline missed; and it
 * writes with {@link AlertWriter}, whose unique (rule, dedup key) makes instances that scan at once
 * raise each occurrence once. With no such rule a pass is one SELECT of the rules.
 */
public final class OverdueScan implements Loop.Pass {
  private static final Logger LOG = LoggerFactory.getLogger(OverdueScan.class);

  /** The kinds this scan raises. */
  static final List<String> KINDS =
      List.of(
          AlertKind.RUN_OVERDUE.name(),
          AlertKind.TASK_OVERDUE.name(),
          AlertKind.RUN_DEADLINE.name(),
          AlertKind.TASK_DEADLINE.name());

  /** Most occurrences one rule raises per pass; the next pass takes the rest. */
  static final int BATCH = 200;

  private final Store store;
  private final Clock clock;
  private final AlertWriter writer = new AlertWriter();
  private final Links links;

  /**
   * @param consoleBase the console's public address with its base path, for the runs' links, or
   *     null
   */
  public OverdueScan(Store store, Clock clock, String consoleBase) {
    this.links = new Links(consoleBase);
    this.store = requireNonNull(store, "store is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  @Override
  public long runOnce() {
    List<AlertRuleRow> rows = store.tx("read overdue rules", m -> m.selectEnabledAlertRules(KINDS));
    for (AlertRuleRow row : rows) {
      StoredRule rule;
      try {
        rule = StoredRule.of(row);
      } catch (RuntimeException e) {
        LOG.warn("alert rule {} of {} is not readable; skipped: {}", row.name, row.workspace, e);
        continue;
      }
      long now = clock.millis();
      int raised = store.tx("raise " + rule.rule().kind() + " alerts", m -> scan(rule, now, m));
      if (raised > 0) {
        LOG.debug("rule {} of {} raised {} alert(s)", row.name, row.workspace, raised);
      }
    }
    return Loop.IDLE;
  }

  /** Raises rule's due occurrences in the caller's transaction; returns how many were new. */
  private int scan(StoredRule stored, long now, StoreMapper m) {
    AlertRule rule = stored.rule();
    String workflow = RulePatterns.like(rule.workflow());
    int raised = 0;
    switch (rule.kind()) {
      case RUN_OVERDUE -> {
        if (rule.after() == null) {
          return 0;
        }
        for (AlertScanRow r :
            m.selectOverdueRuns(
                stored.id(), stored.workspace(), workflow, now - rule.after().toMillis(), BATCH)) {
          Map<String, String> facts = runFacts(r);
          facts.put("after", rule.after().toString());
          raised += write(stored, "overdue:" + r.runId, r, facts, now, m);
        }
      }
      case TASK_OVERDUE -> {
        if (rule.after() == null) {
          return 0;
        }
        for (AlertScanRow r :
            m.selectOverdueAttempts(
                stored.id(),
                stored.workspace(),
                workflow,
                RulePatterns.like(rule.task()),
                rule.label(),
                now - rule.after().toMillis(),
                BATCH)) {
          Map<String, String> facts = attemptFacts(r);
          facts.put("after", rule.after().toString());
          String key = "overdue:" + r.runId + ":" + r.taskId + ":" + r.attempt;
          raised += write(stored, key, r, facts, now, m);
        }
      }
      case RUN_DEADLINE -> {
        if (rule.deadline() == null) {
          return 0;
        }
        Deadline d = lastDeadline(rule, Instant.ofEpochMilli(now));
        for (AlertScanRow r :
            m.selectDeadlineRuns(
                stored.id(),
                stored.workspace(),
                workflow,
                d.at().toEpochMilli(),
                d.date().toString(),
                BATCH)) {
          Map<String, String> facts = runFacts(r);
          facts.put("deadline", d.date() + " " + rule.deadline() + " " + rule.zone().getId());
          facts.put("date", d.date().toString());
          raised += write(stored, "deadline:" + r.runId + ":" + d.date(), r, facts, now, m);
        }
      }
      case TASK_DEADLINE -> {
        if (rule.deadline() == null) {
          return 0;
        }
        Deadline d = lastDeadline(rule, Instant.ofEpochMilli(now));
        for (AlertScanRow r :
            m.selectDeadlineAttempts(
                stored.id(),
                stored.workspace(),
                workflow,
                RulePatterns.like(rule.task()),
                rule.label(),
                d.at().toEpochMilli(),
                d.date().toString(),
                BATCH)) {
          Map<String, String> facts = attemptFacts(r);
          facts.put("deadline", d.date() + " " + rule.deadline() + " " + rule.zone().getId());
          facts.put("date", d.date().toString());
          String key = "deadline:" + r.runId + ":" + r.taskId + ":" + r.attempt + ":" + d.date();
          raised += write(stored, key, r, facts, now, m);
        }
      }
      default ->
          LOG.warn("rule {} has kind {}, which the scan does not raise", rule.name(), rule.kind());
    }
    return raised;
  }

  private int write(
      StoredRule rule,
      String key,
      AlertScanRow r,
      Map<String, String> facts,
      long now,
      StoreMapper m) {
    return writer
            .write(
                rule,
                new Occurrence(
                    key, r.flowName, r.runId, links.run(rule.workspace(), r.runId), facts),
                now,
                m)
            .isPresent()
        ? 1
        : 0;
  }

  private static Map<String, String> runFacts(AlertScanRow r) {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("run", Long.toString(r.runId));
    facts.put("workflow", r.flowName);
    facts.put("state", r.state);
    return facts;
  }

  private static Map<String, String> attemptFacts(AlertScanRow r) {
    Map<String, String> facts = runFacts(r);
    facts.put("task", r.taskId);
    facts.put("attempt", Integer.toString(r.attempt));
    facts.put("label", r.label == null ? "" : r.label);
    return facts;
  }

  /** A day's deadline: the day in the rule's zone and the instant it falls on. */
  record Deadline(LocalDate date, Instant at) {}

  /**
   * The latest deadline of {@code rule} at or before {@code now}: today's (in the rule's zone) once
   * it passed, else yesterday's. A deadline in a daylight-saving gap falls on the first instant
   * after it; one in an overlap on the earlier instant ({@link ZonedDateTime#of}).
   */
  static Deadline lastDeadline(AlertRule rule, Instant now) {
    LocalDate today = LocalDate.ofInstant(now, rule.zone());
    Instant at = ZonedDateTime.of(today, rule.deadline(), rule.zone()).toInstant();
    if (at.isAfter(now)) {
      LocalDate yesterday = today.minusDays(1);
      return new Deadline(
          yesterday, ZonedDateTime.of(yesterday, rule.deadline(), rule.zone()).toInstant());
    }
    return new Deadline(today, at);
  }
}
