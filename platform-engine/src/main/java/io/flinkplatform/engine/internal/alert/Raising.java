package io.flinkplatform.engine.internal.alert;

import io.flinkplatform.engine.alert.AlertKind;
import io.flinkplatform.engine.alert.AlertRule;
import io.flinkplatform.engine.event.PlatformEvent;
import io.flinkplatform.engine.event.PlatformEvent.RunStateChanged;
import io.flinkplatform.engine.event.PlatformEvent.ScheduleFireSkipped;
import io.flinkplatform.engine.event.PlatformEvent.ScheduleMisfired;
import io.flinkplatform.engine.event.PlatformEvent.TaskStateChanged;
import io.flinkplatform.engine.internal.common.Texts;
import io.flinkplatform.engine.internal.store.AttemptRow;
import io.flinkplatform.engine.internal.store.RunRow;
import io.flinkplatform.engine.internal.store.ScheduleRow;
import io.flinkplatform.engine.internal.store.StoreMapper;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.spi.Redaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One call of {@link AlertRaiser#raise}: finds the occurrences the events are, and the rules each
 * matches. Rows it needs (the runs of task events, the attempts that tell a last failure from a
 * retried one, a schedule's workflow) are read only once a rule could match, one statement each.
 */
final class Raising {
  /** The longest task message an alert carries. */
  static final int MAX_MESSAGE = 1_000;

  /** A rule and the occurrence it raises. */
  record Candidate(StoredRule rule, Occurrence occurrence) {}

  private final StoreMapper m;
  private final RuleCache rules;
  private final Links links;
  private final AlertRaiser.TaskLabels labels;
  private final Map<Long, RunRow> runs = new HashMap<>();
  private final Map<String, String> scheduleFlows = new HashMap<>();

  Raising(StoreMapper m, RuleCache rules, Links links, AlertRaiser.TaskLabels labels) {
    this.m = m;
    this.rules = rules;
    this.links = links;
    this.labels = labels;
  }

  List<Candidate> occurrences(List<? extends PlatformEvent> events) {
    readRuns(events);
    List<Candidate> out = new ArrayList<>();
    List<TaskStateChanged> lastFailures = new ArrayList<>();
    for (PlatformEvent e : events) {
      if (e instanceof RunStateChanged r && runKind(r.state()) != null) {
        runEnded(r, out);
      } else if (e instanceof TaskStateChanged t && t.state() == TaskState.FAILED) {
        if (retried(events, t)) {
          taskFailed(t, AlertKind.TASK_RETRIED, out);
        } else {
          lastFailures.add(t);
        }
      } else if (e instanceof ScheduleMisfired mf) {
        misfired(mf, out);
      } else if (e instanceof ScheduleFireSkipped sk) {
        skipped(sk, out);
      }
    }
    if (!lastFailures.isEmpty() && !rules.of(AlertKind.TASK_FAILED).isEmpty()) {
      Set<String> laterAttempts = laterAttempts(lastFailures);
      for (TaskStateChanged t : lastFailures) {
        if (!laterAttempts.contains(t.runId() + "/" + t.taskId() + "/" + t.attempt())) {
          taskFailed(t, AlertKind.TASK_FAILED, out);
        }
      }
    }
    return out;
  }

  static AlertKind runKind(RunState state) {
    return switch (state) {
      case FAILED -> AlertKind.RUN_FAILED;
      case KILLED -> AlertKind.RUN_KILLED;
      case SUCCESS -> AlertKind.RUN_SUCCEEDED;
      default -> null;
    };
  }

  /** Reads the rows of the runs whose events a rule may match: one statement, if any. */
  private void readRuns(List<? extends PlatformEvent> events) {
    boolean taskRules =
        !rules.of(AlertKind.TASK_FAILED).isEmpty() || !rules.of(AlertKind.TASK_RETRIED).isEmpty();
    Set<Long> ids = new LinkedHashSet<>();
    for (PlatformEvent e : events) {
      if (e instanceof TaskStateChanged t && t.state() == TaskState.FAILED && taskRules) {
        ids.add(t.runId());
      } else if (e instanceof RunStateChanged r && runKind(r.state()) != null) {
        if (any(runKind(r.state()), r.workspace(), r.workflowName())
            || any(AlertKind.BACKFILL_FINISHED, r.workspace(), r.workflowName())) {
          ids.add(r.runId());
        }
      }
    }
    if (!ids.isEmpty()) {
      m.selectRuns(ids).forEach(r -> runs.put(r.id, r));
    }
  }

  /** Whether a rule of {@code kind} of {@code workspace} may match {@code workflow}. */
  private boolean any(AlertKind kind, String workspace, String workflow) {
    for (StoredRule r : rules.of(kind)) {
      if (r.workspace().equals(workspace) && Glob.matches(r.rule().workflow(), workflow)) {
        return true;
      }
    }
    return false;
  }

  private void runEnded(RunStateChanged r, List<Candidate> out) {
    RunRow row = runs.get(r.runId());
    AlertKind kind = runKind(r.state());
    if (any(kind, r.workspace(), r.workflowName())) {
      Map<String, String> facts = new LinkedHashMap<>();
      facts.put("run", Long.toString(r.runId()));
      facts.put("workflow", r.workflowName());
      facts.put("workspace", r.workspace());
      facts.put("state", r.state().name());
      facts.put("actor", actor(r, row));
      if (row != null) {
        facts.put("logicalDate", Instant.ofEpochMilli(row.logicalDate).toString());
        facts.put("version", Integer.toString(row.flowVersion));
      }
      String link = links.run(r.workspace(), r.runId());
      Occurrence o =
          new Occurrence(
              "run:" + r.runId() + ":" + r.state() + ":" + r.at().toEpochMilli(),
              r.workflowName(),
              r.runId(),
              link,
              facts);
      match(kind, r.workspace(), r.workflowName(), null, null, o, out);
    }
    if (row != null
        && row.backfillId != null
        && any(AlertKind.BACKFILL_FINISHED, r.workspace(), r.workflowName())) {
      Occurrence o = BackfillEnd.of(m, row.backfillId);
      if (o != null) {
        match(AlertKind.BACKFILL_FINISHED, r.workspace(), r.workflowName(), null, null, o, out);
      }
    }
  }

  /** Who ended the run: who killed it for a kill, else the event's actor. */
  private static String actor(RunStateChanged r, RunRow row) {
    return r.state() == RunState.KILLED && row != null && row.killedBy != null
        ? row.killedBy
        : r.actor();
  }

  /** Whether the same batch readied the next attempt of the failed task. */
  private static boolean retried(List<? extends PlatformEvent> events, TaskStateChanged t) {
    for (PlatformEvent e : events) {
      if (e instanceof TaskStateChanged n
          && n.state() == TaskState.READY
          && n.runId() == t.runId()
          && n.attempt() == t.attempt() + 1
          && n.taskId().equals(t.taskId())) {
        return true;
      }
    }
    return false;
  }

  /**
   * The failures (run/task/attempt) a later attempt of their task followed: a batch stored by an
   * earlier commit reports its failure again without the retry it made.
   */
  private Set<String> laterAttempts(List<TaskStateChanged> failures) {
    Set<Long> runIds = new LinkedHashSet<>();
    Set<String> taskIds = new LinkedHashSet<>();
    for (TaskStateChanged t : failures) {
      RunRow run = runs.get(t.runId());
      if (run != null && mayMatchTask(AlertKind.TASK_FAILED, run, t.taskId())) {
        runIds.add(t.runId());
        taskIds.add(t.taskId());
      }
    }
    Set<String> later = new HashSet<>();
    if (runIds.isEmpty()) {
      return later;
    }
    Map<String, Integer> latest = new HashMap<>();
    for (AttemptRow a : m.selectStatesOfRuns(runIds, taskIds)) {
      latest.merge(a.flowRunId + "/" + a.taskId, a.attempt, Math::max);
    }
    for (TaskStateChanged t : failures) {
      Integer max = latest.get(t.runId() + "/" + t.taskId());
      if (max != null && max > t.attempt()) {
        later.add(t.runId() + "/" + t.taskId() + "/" + t.attempt());
      }
    }
    return later;
  }

  private boolean mayMatchTask(AlertKind kind, RunRow run, String taskId) {
    for (StoredRule r : rules.of(kind)) {
      if (r.workspace().equals(run.workspace)
          && Glob.matches(r.rule().workflow(), run.flowName)
          && Glob.matches(r.rule().task(), taskId)) {
        return true;
      }
    }
    return false;
  }

  private void taskFailed(TaskStateChanged t, AlertKind kind, List<Candidate> out) {
    RunRow run = runs.get(t.runId());
    if (run == null || !mayMatchTask(kind, run, t.taskId())) {
      return;
    }
    String label = labels.labelOf(run.flowId, t.taskId());
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("run", Long.toString(run.id));
    facts.put("workflow", run.flowName);
    facts.put("workspace", run.workspace);
    facts.put("task", t.taskId());
    facts.put("attempt", Integer.toString(t.attempt()));
    facts.put("state", t.state().name());
    facts.put("message", message(t.message()));
    facts.put("logicalDate", Instant.ofEpochMilli(run.logicalDate).toString());
    if (label != null) {
      facts.put("label", label);
    }
    Occurrence o =
        new Occurrence(
            "task:" + run.id + ":" + t.taskId() + ":" + t.attempt() + ":" + t.state(),
            run.flowName,
            run.id,
            links.run(run.workspace, run.id),
            facts);
    match(kind, run.workspace, run.flowName, t.taskId(), label, o, out);
  }

  /** A task's message as an alert shows it: passwords in URLs masked, at most MAX_MESSAGE. */
  static String message(String message) {
    if (message == null || message.isBlank()) {
      return "-";
    }
    String shown = Redaction.url(message);
    return shown.length() <= MAX_MESSAGE ? shown : Texts.prefix(shown, MAX_MESSAGE - 3) + "...";
  }

  private void misfired(ScheduleMisfired mf, List<Candidate> out) {
    if (!anyOfWorkspace(AlertKind.SCHEDULE_MISFIRED, mf.workspace())) {
      return;
    }
    String workflow = scheduleFlow(mf.workspace(), mf.scheduleName());
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("schedule", mf.scheduleName());
    facts.put("workspace", mf.workspace());
    if (workflow != null) {
      facts.put("workflow", workflow);
    }
    facts.put("missed", Integer.toString(mf.missed()));
    facts.put("fired", Integer.toString(mf.fired()));
    facts.put("firstMissed", mf.firstMissed().toString());
    facts.put(
        "message",
        mf.missed()
            + " fire time(s) missed since "
            + mf.firstMissed()
            + "; its misfire policy ran "
            + mf.fired());
    Occurrence o =
        new Occurrence(
            "misfire:" + mf.scheduleName() + ":" + mf.firstMissed().toEpochMilli(),
            workflow,
            null,
            null,
            facts);
    match(AlertKind.SCHEDULE_MISFIRED, mf.workspace(), workflow, null, null, o, out);
  }

  private void skipped(ScheduleFireSkipped sk, List<Candidate> out) {
    if (!anyOfWorkspace(AlertKind.SCHEDULE_SKIPPED, sk.workspace())) {
      return;
    }
    String workflow = scheduleFlow(sk.workspace(), sk.scheduleName());
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("schedule", sk.scheduleName());
    facts.put("workspace", sk.workspace());
    if (workflow != null) {
      facts.put("workflow", workflow);
    }
    facts.put("fireTime", sk.fireTime().toString());
    facts.put("message", "fire time " + sk.fireTime() + " skipped: " + sk.reason());
    Occurrence o =
        new Occurrence(
            "skip:" + sk.scheduleName() + ":" + sk.fireTime().toEpochMilli(),
            workflow,
            null,
            null,
            facts);
    match(AlertKind.SCHEDULE_SKIPPED, sk.workspace(), workflow, null, null, o, out);
  }

  private boolean anyOfWorkspace(AlertKind kind, String workspace) {
    return rules.of(kind).stream().anyMatch(r -> r.workspace().equals(workspace));
  }

  /** The workflow a schedule fires (read once per schedule and call), or null. */
  private String scheduleFlow(String workspace, String schedule) {
    return scheduleFlows.computeIfAbsent(
        workspace + "\n" + schedule,
        k -> {
          List<ScheduleRow> rows = m.selectSchedules(workspace, schedule);
          return rows.isEmpty() ? null : rows.get(0).flowName;
        });
  }

  /** Adds a candidate per rule of {@code kind} that the occurrence's coordinates match. */
  private void match(
      AlertKind kind,
      String workspace,
      String workflow,
      String task,
      String label,
      Occurrence o,
      List<Candidate> out) {
    for (StoredRule r : rules.of(kind)) {
      AlertRule rule = r.rule();
      if (!r.workspace().equals(workspace) || !Glob.matches(rule.workflow(), workflow)) {
        continue;
      }
      if (kind.scope() == AlertKind.Scope.TASK
          && (!Glob.matches(rule.task(), task)
              || (rule.label() != null && !rule.label().equals(label)))) {
        continue;
      }
      out.add(new Candidate(r, o));
    }
  }
}
