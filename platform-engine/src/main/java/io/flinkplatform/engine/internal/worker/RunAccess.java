package io.flinkplatform.engine.internal.worker;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.engine.NotFoundException;
import io.flinkplatform.engine.StoreException;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.event.PlatformEvent;
import io.flinkplatform.engine.internal.claim.Claim;
import io.flinkplatform.engine.internal.common.Events;
import io.flinkplatform.engine.internal.common.Json;
import io.flinkplatform.engine.internal.definition.Definitions;
import io.flinkplatform.engine.internal.definition.TypedParameters;
import io.flinkplatform.engine.internal.model.LatestAttempts;
import io.flinkplatform.engine.internal.progress.AttemptRows;
import io.flinkplatform.engine.internal.progress.Runs;
import io.flinkplatform.engine.internal.store.AttemptRow;
import io.flinkplatform.engine.internal.store.FlowRow;
import io.flinkplatform.engine.internal.store.RunRow;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.spi.PlatformAccess;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;
import java.util.function.LongPredicate;

/**
 * The engine side of {@link PlatformAccess}: reads runs by logical date, starts child runs
 * (idempotently per parent attempt, through the unique {@code parent_attempt_id}) and kills runs.
 */
public final class RunAccess {
  /** The most runs one window query returns. */
  static final int MAX_WINDOW_RUNS = 5_000;

  private final Store store;
  private final Definitions definitions;
  private final Events events;
  private final Clock clock;
  private final LongPredicate kill;
  private final LongConsumer wake;
  private final Runnable admit;

  /**
   * {@code wake} is told when a child run started (its tasks are ready), {@code admit} when one
   * waits in CREATED for its workflow's max active runs.
   */
  public RunAccess(
      Store store,
      Definitions definitions,
      Events events,
      Clock clock,
      LongPredicate kill,
      LongConsumer wake,
      Runnable admit) {
    this.store = store;
    this.definitions = definitions;
    this.events = events;
    this.clock = clock;
    this.kill = kill;
    this.wake = wake;
    this.admit = admit;
  }

  /** The access offered to one claimed attempt. */
  PlatformAccess forAttempt(Claim claim) {
    return new PlatformAccess() {
      @Override
      public List<RunInfo> runs(String workflowName, Instant from, Instant to) {
        return window(workflowName, from, to).stream().map(RunAccess::info).toList();
      }

      @Override
      public List<TaskRunInfo> taskRuns(
          String workflowName, String taskId, Instant from, Instant to) {
        return RunAccess.this.taskRuns(workflowName, taskId, from, to);
      }

      @Override
      public Optional<RunInfo> run(long runId) {
        return Optional.ofNullable(store.tx("read run " + runId, m -> m.selectRunInfo(runId)))
            .map(RunAccess::info);
      }

      @Override
      public Map<String, TaskRunInfo> tasksOf(long runId) {
        return RunAccess.this.tasksOf(runId);
      }

      @Override
      public ChildRun startChild(
          String workflowName, Optional<Integer> version, Map<String, String> parameters) {
        return RunAccess.this.startChild(claim, workflowName, version, parameters);
      }

      @Override
      public boolean kill(long runId) {
        try {
          return kill.test(runId);
        } catch (NotFoundException e) {
          throw new IllegalArgumentException(e.getMessage(), e);
        }
      }
    };
  }

  private List<RunRow> window(String workflowName, Instant from, Instant to) {
    requireNonNull(workflowName, "workflowName is null");
    requireNonNull(from, "from is null");
    requireNonNull(to, "to is null");
    return store.tx(
        "read runs of '" + workflowName + "' from " + from + " to " + to,
        m ->
            m.selectRunsInWindow(
                workflowName, from.toEpochMilli(), to.toEpochMilli(), MAX_WINDOW_RUNS));
  }

  private List<PlatformAccess.TaskRunInfo> taskRuns(
      String workflowName, String taskId, Instant from, Instant to) {
    requireNonNull(taskId, "taskId is null");
    List<RunRow> runs = window(workflowName, from, to);
    if (runs.isEmpty()) {
      return List.of();
    }
    // the task's latest attempt in each run
    Map<Long, AttemptRow> latest =
        LatestAttempts.of(
            store.tx(
                "read task '" + taskId + "' of " + runs.size() + " run(s)",
                m -> m.selectTaskOfRuns(runs.stream().map(r -> r.id).toList(), taskId)),
            a -> a.flowRunId,
            a -> a.attempt);
    List<PlatformAccess.TaskRunInfo> out = new ArrayList<>();
    for (RunRow run : runs) {
      AttemptRow a = latest.get(run.id);
      if (a != null) {
        out.add(taskInfo(run.logicalDate, a));
      }
    }
    return out;
  }

  private Map<String, PlatformAccess.TaskRunInfo> tasksOf(long runId) {
    RunRow run = store.tx("read run " + runId, m -> m.selectRunInfo(runId));
    if (run == null) {
      throw new IllegalArgumentException("run " + runId + " does not exist");
    }
    Map<String, AttemptRow> latest =
        AttemptRows.latest(
            store.tx("read tasks of run " + runId, m -> m.selectTaskStates(runId, null)));
    Map<String, PlatformAccess.TaskRunInfo> out = new LinkedHashMap<>();
    latest.forEach((task, a) -> out.put(task, taskInfo(run.logicalDate, withRun(a, runId))));
    return out;
  }

  private static AttemptRow withRun(AttemptRow a, long runId) {
    a.flowRunId = runId;
    return a;
  }

  private PlatformAccess.ChildRun startChild(
      Claim parent, String workflowName, Optional<Integer> version, Map<String, String> params) {
    requireNonNull(workflowName, "workflowName is null");
    requireNonNull(version, "version is null");
    requireNonNull(params, "parameters is null");
    long attemptId = parent.id();
    for (int tries = 1; ; tries++) {
      long now = clock.millis();
      try {
        RunRow[] created = new RunRow[1];
        PlatformAccess.ChildRun child =
            store.tx(
                "start a run of '" + workflowName + "' for " + parent.describe(),
                m -> {
                  RunRow existing = m.selectRunByParent(attemptId);
                  if (existing != null) {
                    return new PlatformAccess.ChildRun(existing.id, existing.flowVersion, false);
                  }
                  FlowRow flow = m.selectFlow(workflowName, version.orElse(null));
                  if (flow == null) {
                    throw new IllegalArgumentException(
                        "workflow '"
                            + workflowName
                            + "'"
                            + version.map(v -> " version " + v).orElse("")
                            + " is not deployed");
                  }
                  RunRow self = m.selectRunInfo(parent.run().id);
                  Workflow w = definitions.get(flow.id).workflow;
                  try {
                    // the same rule as a trigger: a parent chooses names, it must not choose
                    // names a shell or runtime in the child interprets
                    TypedParameters.checkRequest(
                        w, params, Instant.ofEpochMilli(parent.run().logicalDate));
                  } catch (InvalidRequestException e) {
                    throw new IllegalArgumentException(
                        "the child run of '" + workflowName + "' is refused: " + e.getMessage(), e);
                  }
                  // like any other run, a child waits for its workflow's max active runs
                  RunState state =
                      w.maxActiveRuns().isPresent() ? RunState.CREATED : RunState.RUNNING;
                  // the child reads dates in its parent's zone, as the parent's tasks do
                  String zone =
                      Runs.zoneOf(parent.run(), definitions.get(parent.run().flowId).workflow);
                  RunRow run =
                      Runs.newRun(
                          flow,
                          Runs.withZone(params, w, zone, List::of),
                          parent.run().logicalDate,
                          now,
                          state);
                  run.priority = w.priority();
                  run.parentAttemptId = attemptId;
                  run.depth = (self == null ? 0 : self.depth) + 1;
                  m.insertChildRun(run);
                  if (state == RunState.RUNNING) {
                    Runs.start(m, definitions, List.of(run), now);
                  }
                  created[0] = run;
                  return new PlatformAccess.ChildRun(run.id, flow.version, true);
                });
        if (created[0] != null) {
          RunState state = created[0].state;
          events.emit(
              new PlatformEvent.RunStateChanged(
                  Instant.ofEpochMilli(now), child.runId(), workflowName, state));
          if (state == RunState.RUNNING) {
            wake.accept(now);
          } else {
            admit.run();
          }
        }
        return child;
      } catch (StoreException e) {
        if (tries >= 2) {
          throw e; // the second try finds the child a concurrent owner inserted
        }
      }
    }
  }

  private static PlatformAccess.RunInfo info(RunRow r) {
    return new PlatformAccess.RunInfo(
        r.id,
        r.flowName,
        r.flowVersion,
        r.state.name(),
        Instant.ofEpochMilli(r.logicalDate),
        r.depth,
        Optional.ofNullable(r.parentAttemptId));
  }

  private static PlatformAccess.TaskRunInfo taskInfo(long logicalDate, AttemptRow a) {
    return new PlatformAccess.TaskRunInfo(
        a.flowRunId,
        Instant.ofEpochMilli(logicalDate),
        a.taskId,
        a.attempt,
        a.state.name(),
        Json.stringMap(a.outputs));
  }
}
