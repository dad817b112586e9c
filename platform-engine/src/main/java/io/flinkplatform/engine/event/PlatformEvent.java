package io.flinkplatform.engine.event;

import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.Workspaces;
import java.time.Instant;

/** Typed events for every state change, delivered to {@link PlatformListener listeners}. */
public sealed interface PlatformEvent {

  /** When the event happened, by the platform's clock. */
  Instant at();

  /**
   * A workflow run changed state (including its creation).
   *
   * @param workspace the run's workspace
   * @param actor who made the change: a user, {@code system}, {@code schedule:NAME}
   */
  record RunStateChanged(
      Instant at, long runId, String workflowName, RunState state, String workspace, String actor)
      implements PlatformEvent {

    /** A change the platform made in the default workspace. */
    public RunStateChanged(Instant at, long runId, String workflowName, RunState state) {
      this(at, runId, workflowName, state, Workspaces.DEFAULT, Actor.SYSTEM.name());
    }

    /** The same change, made by {@code actor} in {@code workspace}. */
    public RunStateChanged by(String workspace, String actor) {
      return new RunStateChanged(at, runId, workflowName, state, workspace, actor);
    }
  }

  /**
   * A task attempt changed state.
   *
   * @param workspace the run's workspace
   * @param actor who made the change: the caller of a kill (the attempts it ended before they
   *     started), a rerun or a mark; {@code system} for what the platform did itself (claims,
   *     outcomes, retries, the tasks downstream it decided, a running attempt ending KILLED after a
   *     kill)
   */
  record TaskStateChanged(
      Instant at,
      long runId,
      String taskId,
      int attempt,
      TaskState state,
      String message,
      String workspace,
      String actor)
      implements PlatformEvent {

    /** A change the platform made in the default workspace. */
    public TaskStateChanged(
        Instant at, long runId, String taskId, int attempt, TaskState state, String message) {
      this(at, runId, taskId, attempt, state, message, Workspaces.DEFAULT, Actor.SYSTEM.name());
    }

    /** The same change, made by {@code actor} in {@code workspace}. */
    public TaskStateChanged by(String workspace, String actor) {
      return new TaskStateChanged(at, runId, taskId, attempt, state, message, workspace, actor);
    }
  }

  /**
   * A background loop could not reach the database; emitted once per outage and loop, when the
   * first attempt fails. The loop backs off and retries until {@link DatabaseReachable}.
   */
  record DatabaseUnreachable(Instant at, String loop, String message) implements PlatformEvent {}

  /** A loop reached the database again after {@code failures} failed attempts. */
  record DatabaseReachable(Instant at, String loop, int failures) implements PlatformEvent {}

  /** A write by an owner whose claim was no longer valid was rejected (fencing). */
  record StaleWriteRejected(Instant at, long attemptId, long epoch, String owner, String what)
      implements PlatformEvent {}

  /**
   * A schedule's fire time started no run: the overlap policy is SKIP and a run was still active,
   * or the workflow is not deployed.
   */
  record ScheduleFireSkipped(
      Instant at, String scheduleName, Instant fireTime, String reason, String workspace)
      implements PlatformEvent {

    /** A skip of a schedule of the default workspace. */
    public ScheduleFireSkipped(Instant at, String scheduleName, Instant fireTime, String reason) {
      this(at, scheduleName, fireTime, reason, Workspaces.DEFAULT);
    }

    /** The same skip, of a schedule of {@code workspace}. */
    public ScheduleFireSkipped in(String workspace) {
      return new ScheduleFireSkipped(at, scheduleName, fireTime, reason, workspace);
    }
  }

  /**
   * A schedule noticed fire times older than its misfire threshold; its misfire policy ran {@code
   * fired} of the {@code missed} ones.
   */
  record ScheduleMisfired(
      Instant at, String scheduleName, int missed, int fired, Instant firstMissed, String workspace)
      implements PlatformEvent {

    /** A misfire of a schedule of the default workspace. */
    public ScheduleMisfired(
        Instant at, String scheduleName, int missed, int fired, Instant firstMissed) {
      this(at, scheduleName, missed, fired, firstMissed, Workspaces.DEFAULT);
    }

    /** The same misfire, of a schedule of {@code workspace}. */
    public ScheduleMisfired in(String workspace) {
      return new ScheduleMisfired(at, scheduleName, missed, fired, firstMissed, workspace);
    }
  }

  /**
   * A due schedule could not be fired by this instance (its row names a zone this JDK does not
   * know, a cron that does not parse, an unknown policy...): it is set aside until {@code retryAt},
   * when any instance tries it again, and the other schedules keep firing. Saving the schedule
   * again clears it.
   */
  record ScheduleQuarantined(
      Instant at, String scheduleName, String reason, Instant retryAt, String workspace)
      implements PlatformEvent {

    /** A quarantine of a schedule of the default workspace. */
    public ScheduleQuarantined(Instant at, String scheduleName, String reason, Instant retryAt) {
      this(at, scheduleName, reason, retryAt, Workspaces.DEFAULT);
    }

    /** The same quarantine, of a schedule of {@code workspace}. */
    public ScheduleQuarantined in(String workspace) {
      return new ScheduleQuarantined(at, scheduleName, reason, retryAt, workspace);
    }
  }

  /**
   * A background loop caught an unexpected error and carried on. The database being unreachable is
   * not one: it is reported once per outage by {@link DatabaseUnreachable} and {@link
   * DatabaseReachable}.
   */
  record UnexpectedError(Instant at, String loop, Throwable error) implements PlatformEvent {}

  /**
   * A run was opened again: a rerun of some of its tasks, or a task marked SUCCESS or SKIPPED by
   * hand. {@code tasks} got new attempts; {@code what} says why (e.g. {@code rerun FAILED_TASKS},
   * {@code task load marked SUCCESS (was FAILED)}).
   */
  record RunReopened(
      Instant at,
      long runId,
      String workflowName,
      String what,
      java.util.List<String> tasks,
      String workspace,
      String actor)
      implements PlatformEvent {
    public RunReopened {
      tasks = java.util.List.copyOf(tasks);
    }

    /** A reopening in the default workspace by the system. */
    public RunReopened(
        Instant at, long runId, String workflowName, String what, java.util.List<String> tasks) {
      this(at, runId, workflowName, what, tasks, Workspaces.DEFAULT, Actor.SYSTEM.name());
    }

    /** The same reopening, made by {@code actor} in {@code workspace}. */
    public RunReopened by(String workspace, String actor) {
      return new RunReopened(at, runId, workflowName, what, tasks, workspace, actor);
    }
  }
}
