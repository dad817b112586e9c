package io.flinkplatform.engine.internal.worker;

import io.flinkplatform.engine.NotFoundException;
import io.flinkplatform.engine.internal.access.Caller;
import io.flinkplatform.engine.internal.claim.Claim;
import io.flinkplatform.engine.internal.common.Events;
import io.flinkplatform.engine.internal.definition.Definitions;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.spi.PlatformAccess;
import io.flinkplatform.spi.WorkspaceAccess;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.LongConsumer;

/**
 * The engine side of {@link PlatformAccess}: one attempt's bridge to the reads ({@link RunReads}),
 * the child runs ({@link ChildRuns}) and the kill of a run.
 */
public final class RunAccess {
  private final RunReads reads;
  private final ChildRuns children;
  private final BiPredicate<Caller, Long> kill;

  /**
   * {@code wake} is told when a child run started (its tasks are ready), {@code admit} when one
   * waits in CREATED for its workflow's max active runs.
   */
  public RunAccess(
      Store store,
      Definitions definitions,
      Events events,
      Clock clock,
      BiPredicate<Caller, Long> kill,
      LongConsumer wake,
      Runnable admit,
      WorkspaceAccess access) {
    this.reads = new RunReads(store, access);
    this.children = new ChildRuns(store, definitions, events, clock, wake, admit, access);
    this.kill = kill;
  }

  /**
   * The access offered to one claimed attempt: names resolve in its run's workspace; other
   * workspaces' workflows only while they grant them.
   */
  PlatformAccess forAttempt(Claim claim) {
    String workspace = claim.run().workspace;
    return new PlatformAccess() {
      @Override
      public List<RunInfo> runs(String workflowName, Instant from, Instant to) {
        return reads.runs(workspace, workflowName, from, to);
      }

      @Override
      public List<TaskRunInfo> taskRuns(
          String workflowName, String taskId, Instant from, Instant to) {
        return reads.taskRuns(workspace, workflowName, taskId, from, to);
      }

      @Override
      public Optional<RunInfo> run(long runId) {
        return reads.run(workspace, runId);
      }

      @Override
      public Map<String, TaskRunInfo> tasksOf(long runId) {
        return reads.tasksOf(workspace, runId);
      }

      @Override
      public ChildRun startChild(
          String workflowName, Optional<Integer> version, Map<String, String> parameters) {
        return children.start(claim, workflowName, version, parameters);
      }

      @Override
      public boolean kill(long runId) {
        try {
          // a task kills runs of its own workspace only, as the system acting for it
          return kill.test(Caller.system("task:" + claim.id(), workspace), runId);
        } catch (NotFoundException e) {
          throw new IllegalArgumentException(e.getMessage(), e);
        }
      }
    };
  }
}
