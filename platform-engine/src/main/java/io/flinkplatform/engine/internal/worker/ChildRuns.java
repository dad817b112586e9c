package io.flinkplatform.engine.internal.worker;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.engine.StoreException;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.event.PlatformEvent;
import io.flinkplatform.engine.internal.claim.Claim;
import io.flinkplatform.engine.internal.common.Events;
import io.flinkplatform.engine.internal.definition.Definitions;
import io.flinkplatform.engine.internal.definition.TypedParameters;
import io.flinkplatform.engine.internal.progress.Runs;
import io.flinkplatform.engine.internal.store.FlowRow;
import io.flinkplatform.engine.internal.store.RunRow;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.spi.PlatformAccess;
import io.flinkplatform.spi.WorkspaceAccess;
import io.flinkplatform.spi.Workspaces;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * Starts the child run of a parent attempt, idempotently through the unique {@code
 * parent_attempt_id}: a second call (or a new owner of the attempt) gets the run the first started.
 */
final class ChildRuns {
  private final Store store;
  private final WorkspaceAccess access;
  private final Definitions definitions;
  private final Events events;
  private final Clock clock;
  private final LongConsumer wake;
  private final Runnable admit;

  /**
   * {@code wake} is told when a child run started (its tasks are ready), {@code admit} when one
   * waits in CREATED for its workflow's max active runs.
   */
  ChildRuns(
      Store store,
      Definitions definitions,
      Events events,
      Clock clock,
      LongConsumer wake,
      Runnable admit,
      WorkspaceAccess access) {
    this.access = access;
    this.store = store;
    this.definitions = definitions;
    this.events = events;
    this.clock = clock;
    this.wake = wake;
    this.admit = admit;
  }

  PlatformAccess.ChildRun start(
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
                  Workspaces.Ref target = Workspaces.resolve(parent.run().workspace, workflowName);
                  if (!access.granted(parent.run().workspace, WorkspaceAccess.WORKFLOW, target)) {
                    throw new IllegalArgumentException(
                        "workflow '"
                            + workflowName
                            + "' belongs to workspace '"
                            + target.workspace()
                            + "', which does not grant it to workspace '"
                            + parent.run().workspace
                            + "'");
                  }
                  // the child belongs to its workflow's workspace, and resolves names there
                  FlowRow flow =
                      m.selectFlow(target.workspace(), target.name(), version.orElse(null));
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
                          state,
                          parent.run().triggeredBy);
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
                  Instant.ofEpochMilli(now),
                  child.runId(),
                  workflowName,
                  state,
                  created[0].workspace,
                  created[0].triggeredBy));
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
}
