package io.flinkplatform.engine.internal.rerun;

import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.engine.NotFoundException;
import io.flinkplatform.engine.RunNotFinishedException;
import io.flinkplatform.engine.event.PlatformEvent;
import io.flinkplatform.engine.internal.definition.Dag;
import io.flinkplatform.engine.internal.definition.Definitions;
import io.flinkplatform.engine.internal.progress.Progress;
import io.flinkplatform.engine.internal.store.AttemptRow;
import io.flinkplatform.engine.internal.store.RunRow;
import io.flinkplatform.engine.internal.store.StoreMapper;
import io.flinkplatform.engine.run.RerunMode;
import io.flinkplatform.engine.run.RerunRequest;
import io.flinkplatform.engine.run.RerunResult;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskState;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reruns of finished runs and tasks marked SUCCESS or SKIPPED by hand, inside the caller's
 * transaction. The run row is locked first and its state is compared and set, so of two concurrent
 * requests on one finished run only the first applies; the second finds it RUNNING. Attempts are
 * never overwritten: every task that runs again, or is marked, gets a new attempt row.
 */
public final class Reruns {
  private final Definitions definitions;
  private final Progress progress;

  public Reruns(Definitions definitions, Progress progress) {
    this.definitions = definitions;
    this.progress = progress;
  }

  /** What one rerun or mark did; events are emitted only after it commits. */
  public static final class Done {
    public final Progress.Changes changes = new Progress.Changes();
    public RerunResult result;
  }

  public Done rerun(StoreMapper m, RerunRequest request, long now) {
    RunRow run = lock(m, request.runId());
    RunState state = run.state;
    if (!state.isFinal()) {
      throw new RunNotFinishedException(run.id, state);
    }
    Dag dag = definitions.get(run.flowId);
    RerunPlan plan = new RerunPlan(dag, run, attempts(m, run.id), now);
    choose(dag, request, plan).forEach(plan::renew);
    plan.decide();
    if (!plan.anyReady()) {
      throw new InvalidRequestException(
          "taskId",
          "no task of run "
              + run.id
              + " could run: "
              + plan.blockedReason()
              + "; rerun it with its upstream (TASK_AND_UPSTREAM), or mark the upstream task"
              + " SUCCESS");
    }
    String what =
        "rerun " + request.mode() + request.taskId().map(t -> " of task '" + t + "'").orElse("");
    return plan.apply(m, state, what, progress);
  }

  public Done mark(StoreMapper m, long runId, String taskId, TaskState to, long now) {
    if (to != TaskState.SUCCESS && to != TaskState.SKIPPED) {
      throw new InvalidRequestException(
          "state", "a task can be marked SUCCESS or SKIPPED by hand, not " + to);
    }
    RunRow run = lock(m, runId);
    RunState state = run.state;
    if (state != RunState.RUNNING && !state.isFinal()) {
      throw new InvalidRequestException(
          "runId",
          "run "
              + runId
              + " is "
              + state
              + "; tasks can be marked in a RUNNING, SUCCESS, FAILED or KILLED run");
    }
    Dag dag = definitions.get(run.flowId);
    checkTask(dag, taskId);
    RerunPlan plan = new RerunPlan(dag, run, attempts(m, run.id), now);
    AttemptRow current = plan.latest(taskId);
    TaskState was = current.state;
    if (was == TaskState.RUNNING) {
      throw new InvalidRequestException(
          "taskId",
          "task '"
              + taskId
              + "' of run "
              + runId
              + " is RUNNING (attempt "
              + current.attempt
              + "); it can be marked once it ended, or kill the run");
    }
    if (was == to) {
      throw new InvalidRequestException(
          "state", "task '" + taskId + "' of run " + runId + " is already " + to);
    }
    String message = "marked " + to + " by hand (was " + was + ")";
    if (plan.marksInPlace(taskId)) {
      // WAITING or READY in a running run: the attempt never started, so the mark ends it
      if (m.markUnstarted(current.id, to, message, now) != 1) {
        throw new InvalidRequestException(
            "taskId",
            "task '" + taskId + "' of run " + runId + " started meanwhile; mark it once it ended");
      }
    }
    // the mark, and the tasks downstream that did not run because of it get a new chance
    plan.mark(taskId, to, message);
    plan.decide();
    plan.dropUnchanged();
    return plan.apply(m, state, "task '" + taskId + "' " + message, progress);
  }

  /** The run's attempts, with the branches each success chose. */
  private static List<AttemptRow> attempts(StoreMapper m, long runId) {
    List<AttemptRow> attempts = m.selectAttemptsOfRun(runId);
    Map<Long, String> branches = new HashMap<>();
    for (AttemptRow r : m.selectStatesOfRuns(List.of(runId), null)) {
      if (r.branches != null) {
        branches.put(r.id, r.branches);
      }
    }
    attempts.forEach(a -> a.branches = branches.get(a.id));
    return attempts;
  }

  private static RunRow lock(StoreMapper m, long runId) {
    RunRow run = Progress.lockRuns(m, List.of(runId)).get(runId);
    if (run == null) {
      throw new NotFoundException("run " + runId + " does not exist");
    }
    return run;
  }

  /** The tasks a rerun runs again. */
  private static Set<String> choose(Dag dag, RerunRequest r, RerunPlan plan) {
    if (r.mode() == RerunMode.FAILED_TASKS) {
      if (r.taskId().isPresent()) {
        throw new InvalidRequestException(
            "taskId",
            "mode FAILED_TASKS takes no task; use TASK, TASK_AND_UPSTREAM or TASK_AND_DOWNSTREAM");
      }
      Set<String> failed = plan.scope(RerunMode.FAILED_TASKS, null);
      if (failed.isEmpty()) {
        throw new InvalidRequestException(
            "mode",
            "run "
                + r.runId()
                + " has no FAILED, UPSTREAM_FAILED or KILLED task; name a task with mode TASK,"
                + " TASK_AND_UPSTREAM or TASK_AND_DOWNSTREAM");
      }
      return failed;
    }
    String task =
        r.taskId()
            .orElseThrow(
                () -> new InvalidRequestException("taskId", "mode " + r.mode() + " needs a task"));
    checkTask(dag, task);
    return plan.scope(r.mode(), task);
  }

  private static void checkTask(Dag dag, String taskId) {
    if (taskId == null || !dag.tasks.containsKey(taskId)) {
      throw new InvalidRequestException(
          "taskId",
          "'"
              + taskId
              + "' is not a task of workflow '"
              + dag.workflow.name()
              + "' version "
              + dag.version
              + "; its tasks are "
              + dag.tasks.keySet());
    }
  }

  static PlatformEvent reopened(long now, RunRow run, String what, List<String> tasks) {
    return new PlatformEvent.RunReopened(
        Instant.ofEpochMilli(now), run.id, run.flowName, what, tasks);
  }
}
