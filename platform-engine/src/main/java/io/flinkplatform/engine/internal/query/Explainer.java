package io.flinkplatform.engine.internal.query;

import io.flinkplatform.engine.NotFoundException;
import io.flinkplatform.engine.dag.TaskDefinition;
import io.flinkplatform.engine.internal.definition.Dag;
import io.flinkplatform.engine.internal.definition.Definitions;
import io.flinkplatform.engine.internal.model.Attempt;
import io.flinkplatform.engine.internal.model.TriggerRules;
import io.flinkplatform.engine.internal.progress.AttemptRows;
import io.flinkplatform.engine.internal.store.AttemptRow;
import io.flinkplatform.engine.internal.store.BackfillRow;
import io.flinkplatform.engine.internal.store.Limits;
import io.flinkplatform.engine.internal.store.PoolRow;
import io.flinkplatform.engine.internal.store.RunRow;
import io.flinkplatform.engine.internal.store.ScheduleRow;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.internal.store.StoreMapper;
import io.flinkplatform.engine.internal.store.WorkerRow;
import io.flinkplatform.engine.run.Explanation;
import io.flinkplatform.engine.run.Explanation.Code;
import io.flinkplatform.engine.run.Explanation.Reason;
import io.flinkplatform.engine.run.Explanation.TaskExplanation;
import io.flinkplatform.engine.run.Limit;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.schedule.Backfill;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Answers "why has this not started?" from the database alone, in one read-only transaction. */
public final class Explainer {
  private final Store store;
  private final Definitions definitions;
  private final Clock clock;

  public Explainer(Store store, Definitions definitions, Clock clock) {
    this.store = store;
    this.definitions = definitions;
    this.clock = clock;
  }

  Explanation explain(long runId) {
    return store.tx("explain run " + runId, m -> explain(m, runId));
  }

  private Explanation explain(StoreMapper m, long runId) {
    RunRow run = m.selectRun(runId);
    if (run == null) {
      throw new NotFoundException("run " + runId + " does not exist");
    }
    long now = clock.millis();
    RunState state = run.state;
    Dag dag = definitions.get(run.flowId);
    if (state == RunState.CREATED) {
      return new Explanation(runId, state, Optional.of(held(m, run)), List.of());
    }
    Map<String, AttemptRow> latest = AttemptRows.latest(m.selectAttemptsOfRun(runId));
    List<WorkerRow> workers = m.selectLiveWorkers();
    Limits limits = Limits.read(m);
    Map<Limits.Key, Integer> used = Limits.usage(m.selectRunningUsage());
    List<TaskExplanation> out = new ArrayList<>();
    for (TaskDefinition t : dag.workflow.tasks()) {
      AttemptRow a = latest.get(t.id());
      if (a == null) {
        continue;
      }
      TaskState ts = a.state;
      List<Reason> reasons =
          switch (ts) {
            case WAITING -> List.of(upstream(dag, t, latest));
            case READY -> ready(m, a, run, t, workers, limits, used, now);
            case RUNNING ->
                List.of(
                    new Reason(
                        Code.RUNNING,
                        "running on "
                            + a.owner
                            + (a.message == null || a.message.isEmpty() ? "" : ": " + a.message)));
            default -> null;
          };
      if (reasons != null) {
        out.add(new TaskExplanation(t.id(), ts, reasons));
      }
    }
    return new Explanation(runId, state, Optional.empty(), out);
  }

  /** Why a schedule is not starting runs now, or what it skipped last; empty if nothing. */
  List<Reason> explainSchedule(String name) {
    return store.tx(
        "explain schedule " + name,
        m -> {
          ScheduleRow s = m.selectScheduleExplain(name);
          if (s == null) {
            throw new NotFoundException("schedule '" + name + "' does not exist");
          }
          List<Reason> out = new ArrayList<>();
          if (s.paused) {
            out.add(new Reason(Code.SCHEDULE_PAUSED, "schedule '" + name + "' is paused"));
          }
          if (s.nextFireAt == null) {
            out.add(
                new Reason(Code.SCHEDULE_ENDED, "schedule '" + name + "' has no fire time left"));
          }
          if (s.quarantine != null) {
            out.add(
                new Reason(
                    Code.SCHEDULE_QUARANTINED,
                    "schedule '"
                        + name
                        + "' could not be fired: "
                        + s.quarantine
                        + (s.quarantinedUntil == null
                            ? ""
                            : "; tried again from " + Instant.ofEpochMilli(s.quarantinedUntil))
                        + " (saving it again clears this)"));
          }
          if (s.lastSkip != null) {
            out.add(new Reason(Code.MISFIRE, s.lastSkip));
          }
          if (m.selectFlow(s.flowName, null) == null) {
            out.add(
                new Reason(
                    Code.WORKFLOW_NOT_DEPLOYED, "workflow '" + s.flowName + "' is not deployed"));
          }
          return out;
        });
  }

  private Reason held(StoreMapper m, RunRow run) {
    PoolRow runs =
        m.selectPools().stream()
            .filter(p -> p.kind == Limit.Kind.RUNS && p.name.equals(run.flowName))
            .findFirst()
            .orElse(null);
    int active = m.countActiveRunsOfFlow(run.flowName);
    if (runs != null && active >= runs.slots) {
      return new Reason(
          Code.MAX_ACTIVE_RUNS,
          "workflow '" + run.flowName + "' has " + active + " of " + runs.slots + " runs active");
    }
    if (run.backfillId != null) {
      BackfillRow b = m.selectBackfill(run.backfillId, false);
      if (b == null || b.state != Backfill.State.RUNNING) {
        return new Reason(Code.SCHEDULE_PAUSED, "backfill " + run.backfillId + " is not running");
      }
      return new Reason(
          Code.BACKFILL_PARALLELISM,
          "backfill " + run.backfillId + " runs " + b.parallelism + " date(s) at a time");
    }
    if (run.scheduleId != null) {
      if (Boolean.TRUE.equals(m.selectSchedulePaused(run.scheduleId))) {
        return new Reason(Code.SCHEDULE_PAUSED, "its schedule is paused");
      }
      return new Reason(
          Code.SCHEDULE_OVERLAP,
          "earlier runs of its schedule are active (at most "
              + (run.maxActive == null ? 1 : run.maxActive)
              + " at once)");
    }
    return new Reason(Code.MAX_ACTIVE_RUNS, "waiting for admission");
  }

  /** The upstream tasks whose edges to {@code t} have not resolved, as the run model says. */
  private static Reason upstream(Dag dag, TaskDefinition t, Map<String, AttemptRow> latest) {
    List<String> open = new ArrayList<>();
    TriggerRules.waitingFor(dag.graph, t.id(), task -> attempt(latest.get(task)))
        .forEach((task, state) -> open.add(task + (state == null ? "" : " (" + state + ")")));
    return new Reason(Code.WAITING_FOR_UPSTREAM, "waiting for " + String.join(", ", open));
  }

  private static Attempt attempt(AttemptRow row) {
    return row == null ? null : AttemptRows.toModel(row);
  }

  private List<Reason> ready(
      StoreMapper m,
      AttemptRow a,
      RunRow run,
      TaskDefinition t,
      List<WorkerRow> workers,
      Limits limits,
      Map<Limits.Key, Integer> used,
      long now) {
    List<Reason> reasons = new ArrayList<>();
    if (a.readyAt > now) {
      reasons.add(
          new Reason(
              Code.RETRY_BACKOFF,
              "attempt " + a.attempt + " not before " + Instant.ofEpochMilli(a.readyAt)));
    }
    List<WorkerRow> typed =
        workers.stream().filter(w -> csv(w.taskTypes).contains(a.taskType)).toList();
    if (typed.isEmpty()) {
      reasons.add(
          new Reason(
              Code.NO_INSTANCE_WITH_TASK_TYPE,
              "no live instance runs task type '" + a.taskType + "'"));
    } else if (!a.label.isEmpty()
        && typed.stream().noneMatch(w -> csv(w.labels).contains(a.label))) {
      reasons.add(
          new Reason(
              Code.NO_INSTANCE_WITH_LABEL,
              "no live instance with task type '" + a.taskType + "' has label '" + a.label + "'"));
    }
    for (Limits.Key key : limits.keys(a, run)) {
      String name = key.name();
      int slots = limits.slots(key);
      int n = used.getOrDefault(key, 0);
      if (n >= slots) {
        Code code =
            switch (key.kind()) {
              case POOL -> Code.POOL_FULL;
              case TASK_TYPE -> Code.TASK_TYPE_LIMIT;
              default -> Code.MAX_PARALLEL_TASKS;
            };
        reasons.add(new Reason(code, "'" + name + "' uses " + n + " of " + slots + " slot(s)"));
      }
    }
    if (reasons.isEmpty()) {
      List<String> types =
          workers.stream().flatMap(w -> csv(w.taskTypes).stream()).distinct().toList();
      int ahead = m.countReadyAhead(a.negPriority, a.id, now, types);
      reasons.add(
          new Reason(
              Code.PRIORITY,
              ahead
                  + " ready task(s) are claimed before it (priority "
                  + -a.negPriority
                  + (a.negPriority == -t.priority() - run.priority ? "" : ", aged")
                  + ")"));
    }
    return reasons;
  }

  private static Set<String> csv(String s) {
    return s == null || s.isEmpty() ? Set.of() : new TreeSet<>(Arrays.asList(s.split(",")));
  }
}
