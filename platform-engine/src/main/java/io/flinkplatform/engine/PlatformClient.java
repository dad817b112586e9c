package io.flinkplatform.engine;

import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.DeployedWorkflow;
import io.flinkplatform.engine.run.Explanation;
import io.flinkplatform.engine.run.InstanceInfo;
import io.flinkplatform.engine.run.Limit;
import io.flinkplatform.engine.run.Overview;
import io.flinkplatform.engine.run.RerunRequest;
import io.flinkplatform.engine.run.RerunResult;
import io.flinkplatform.engine.run.RunPage;
import io.flinkplatform.engine.run.RunQuery;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.run.TriggerRequest;
import io.flinkplatform.engine.run.VersionDiff;
import io.flinkplatform.engine.run.WorkflowRun;
import io.flinkplatform.engine.run.WorkflowSummary;
import io.flinkplatform.engine.run.WorkflowVersion;
import io.flinkplatform.engine.schedule.Backfill;
import io.flinkplatform.engine.schedule.BackfillRequest;
import io.flinkplatform.engine.schedule.FireTime;
import io.flinkplatform.engine.schedule.Schedule;
import io.flinkplatform.engine.schedule.ScheduleSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a host does with the platform: deploy workflows, trigger runs, look at them, kill them.
 * Every call goes to the database, so any instance sees runs started by any other. Thread-safe.
 */
public interface PlatformClient {

  /** Every problem of the workflow, without writing anything; empty when it is valid. */
  List<String> validate(Workflow workflow);

  /**
   * Validates the workflow and stores it as the next version of its name.
   *
   * @throws WorkflowValidationException listing every problem; nothing is written then
   */
  DeployedWorkflow deploy(Workflow workflow);

  /** The latest version of a workflow. */
  Optional<DeployedWorkflow> workflow(String name);

  /** One version of a workflow. */
  Optional<DeployedWorkflow> workflow(String name, int version);

  /**
   * Every workflow of the workspace, by name: its latest version and task count, who deployed it
   * and when, the schedules that start it, and its latest run.
   */
  List<WorkflowSummary> workflows();

  /**
   * Every version of a workflow, newest first, without definitions (read one with {@link
   * #workflow(String, int)}); empty if the workspace has no workflow of that name.
   */
  List<WorkflowVersion> versions(String workflowName);

  /**
   * What changed from version {@code from} to version {@code to} of a workflow: tasks added,
   * removed and changed (with the option keys that changed), edges added and removed, and
   * workflow-level fields.
   *
   * @throws NotFoundException naming the version that does not exist
   */
  VersionDiff diff(String workflowName, int from, int to);

  /**
   * Starts a run of a deployed workflow; it pins the version it starts with.
   *
   * @return the run's id
   * @throws NotFoundException if the workflow (or the version asked for) does not exist
   */
  long trigger(TriggerRequest request);

  /**
   * Starts many runs in one transaction: all of them or, if one names a workflow that is not
   * deployed, none.
   *
   * @return the runs' ids, in the order of the requests
   */
  List<Long> triggerAll(List<TriggerRequest> requests);

  /** Starts a run of the latest version with no parameters and the current time as logical date. */
  default long trigger(String workflowName) {
    return trigger(TriggerRequest.of(workflowName));
  }

  Optional<WorkflowRun> run(long runId);

  /** The most recent runs of a workflow, newest first. */
  List<WorkflowRun> runs(String workflowName, int limit);

  /**
   * One page of the workspace's runs that match every filter of {@code query}, newest first, with
   * the cursor of the next page.
   *
   * @throws io.flinkplatform.engine.InvalidRequestException from {@link RunQuery}'s constructor,
   *     naming the bad field
   */
  RunPage runs(RunQuery query);

  /** Every attempt of every task of a run, in the order they were created. */
  List<TaskAttempt> attempts(long runId);

  /**
   * Kills a run: tasks not started yet end KILLED, running tasks are cancelled (their processes
   * end) and the run ends KILLED once they stopped.
   *
   * @return false if the run had already ended
   */
  boolean kill(long runId);

  /**
   * Waits until the run ended and returns it.
   *
   * @throws RunTimeoutException if it has not ended within {@code timeout}
   */
  WorkflowRun awaitRun(long runId, Duration timeout);

  /**
   * The last {@link io.flinkplatform.engine.run.LogRange#DEFAULT_TAIL_BYTES} (1 MiB) of one
   * attempt's log; empty if the attempt wrote nothing (yet) or its log is on another host. Use
   * {@link #log(long, io.flinkplatform.engine.run.LogRange)} for more, or to follow a running
   * attempt.
   */
  String log(TaskAttempt attempt);

  /**
   * One bounded range of an attempt's log, read through the pointer the attempt has now: a running
   * attempt's log is readable from its first line. Poll with {@code LogRange.from(chunk.end(), n)}.
   *
   * @throws NotFoundException if the attempt does not exist
   */
  io.flinkplatform.engine.run.LogChunk log(
      long attemptId, io.flinkplatform.engine.run.LogRange range);

  /** A Mermaid flowchart of the run's DAG with each task's latest state. */
  String mermaid(long runId);

  // --- schedules (docs/scheduling.md)

  /**
   * Creates the schedule, or replaces the one with the same name (its last fire time is kept, so a
   * replaced schedule does not fire a time twice).
   *
   * @throws InvalidRequestException naming the bad field (cron, zone, bounds, workflow, ...)
   */
  Schedule saveSchedule(ScheduleSpec spec);

  /**
   * The schedule of that name, if any.
   *
   * @throws UnreadableScheduleException if its stored row cannot be read here (an unknown zone id,
   *     say); {@link #explainSchedule} tells its quarantine
   */
  Optional<Schedule> schedule(String name);

  /** Every schedule, by name. */
  List<Schedule> schedules();

  /** Stops firing; fire times that pass while paused follow the misfire policy on resume. */
  void pauseSchedule(String name);

  void resumeSchedule(String name);

  /** Deletes the schedule; its runs stay. @return false if there was none */
  boolean deleteSchedule(String name);

  /**
   * The next {@code count} fire times of a schedule after {@code from}, with what daylight-saving
   * transitions do to them, without saving anything.
   */
  List<FireTime> previewSchedule(ScheduleSpec spec, Instant from, int count);

  // --- backfills

  /**
   * Creates one held run per logical date of the request; they start in logical-date order, at most
   * {@code parallelism} at a time.
   *
   * @return the backfill's id
   * @throws InvalidRequestException naming the bad field
   */
  long backfill(BackfillRequest request);

  /**
   * @throws NotFoundException if there is no such backfill
   */
  Backfill backfillStatus(long backfillId);

  /**
   * The workspace's newest backfills ({@link Backfill#LISTED} at most), newest first, each with its
   * progress as {@link #backfillStatus} gives it.
   */
  List<Backfill> backfills();

  /**
   * Cancels the backfill as one unit: held runs end KILLED without starting, active runs are
   * killed.
   *
   * @return false if it had already ended or been cancelled
   */
  boolean cancelBackfill(long backfillId);

  /**
   * Sets the slot count of the named pool, for all instances: at most {@code slots} tasks that name
   * the pool run at once. Tasks of a pool nobody set run without that limit.
   *
   * @throws InvalidRequestException if the name or the slot count is not allowed
   */
  void setPool(String name, int slots);

  /** Limits the tasks of one type that run at once across all instances. */
  void setTaskTypeLimit(String taskType, int slots);

  /** Removes a limit; returns false if there was none. */
  boolean removeLimit(Limit.Kind kind, String name);

  /**
   * Every limit with its current use. A workflow's max parallel tasks and max active runs (kind
   * {@code RUNS}, whose use is its active runs) are set by deploying it ({@code
   * Workflow.Builder.maxParallelTasks}, {@code maxActiveRuns}); removing one lifts it until the
   * next deploy.
   */
  List<Limit> limits();

  /**
   * Why a run, or its tasks, have not started or ended yet: waiting for upstream, a retry backoff,
   * a full pool or limit, priority, no instance with the task's label or type, a held run (max
   * active runs, schedule overlap, backfill parallelism), or what a running sensor waits for.
   *
   * @throws NotFoundException if there is no such run
   */
  Explanation explain(long runId);

  /**
   * Why a schedule is not starting runs: paused, ended, its workflow not deployed, or the fire
   * times its misfire or overlap policy skipped last. Empty when it fires normally.
   */
  List<Explanation.Reason> explainSchedule(String name);

  // --- reruns and manual marks (docs/scheduling.md, "Reruns")

  /**
   * Runs some tasks of a finished run again: the run goes back to RUNNING on the workflow version
   * it pinned; each chosen task gets a new attempt (attempt number + 1, with its full retry budget)
   * and every earlier attempt stays as it was. Tasks not chosen keep their outcomes and outputs;
   * tasks downstream of a rerun task read its new outputs.
   *
   * @throws RunNotFinishedException if the run is not SUCCESS, FAILED or KILLED (including when
   *     another rerun of it started first); nothing was written
   * @throws InvalidRequestException naming the bad field ({@code taskId}, {@code mode}); nothing
   *     was written
   * @throws NotFoundException if the run does not exist
   */
  RerunResult rerun(RerunRequest request);

  /**
   * Marks a task SUCCESS or SKIPPED by hand, in a RUNNING run (a task that is not running) or in a
   * finished one. The mark is a new attempt (or, for a task that had not started, ends its waiting
   * attempt). Downstream tasks that had not run because of the task's old outcome are decided again
   * by their trigger rules, so marking a FAILED task SUCCESS lets its downstream run; a finished
   * run goes back to RUNNING for them, or ends again at once when nothing is left to run.
   *
   * @param state {@link TaskState#SUCCESS} or {@link TaskState#SKIPPED}
   * @throws InvalidRequestException naming the bad field ({@code state}, {@code taskId}, {@code
   *     runId}); nothing was written
   * @throws NotFoundException if the run does not exist
   */
  RerunResult markTask(long runId, String taskId, TaskState state);

  // --- what runs where (an operations console's pages)

  /**
   * The platform's instances: live ones and those stopped or lost within {@link
   * InstanceInfo#RECENT}, with their labels, task types and running attempt counts. The same for
   * every workspace; any member may read it.
   */
  List<InstanceInfo> instances();

  /**
   * The workspace at a glance: runs by state per hour over the last 24 hours, runs running now,
   * failures of the last 24 hours, the queue of READY attempts, live instances and schedules that
   * lag.
   */
  Overview overview();

  // --- the workspace (docs/security.md)

  /** The workspace this client acts in. */
  String workspace();

  /** The members of the workspace in the built-in store, by name. Needs ADMIN. */
  List<io.flinkplatform.engine.access.Member> members();

  /**
   * Gives {@code principal} (a user name) {@code role} in the workspace, replacing its role. Needs
   * ADMIN.
   *
   * @throws InvalidRequestException naming {@code principal} if it is not a user name
   */
  void setMember(String principal, io.flinkplatform.spi.Role role);

  /** Takes a member's role away. Needs ADMIN. @return false if it had none */
  boolean removeMember(String principal);

  /**
   * Lets workspace {@code to} use one thing of this workspace: its tasks may name it {@code
   * this-workspace/name}. Needs ADMIN.
   *
   * @param kind {@code datasource}, {@code workflow} (read its runs, start it as a sub-workflow),
   *     {@code pool}, {@code catalog}, or a plugin's own kind
   * @param name the thing's name, or {@code *} for every thing of that kind
   * @throws InvalidRequestException naming the bad field
   * @throws NotFoundException if workspace {@code to} does not exist
   */
  void grant(String to, String kind, String name);

  /**
   * Takes a grant back: deploys that use it are refused from now on, and running tasks that resolve
   * it again (a sql task connecting, a dependent task reading runs) fail. Needs ADMIN.
   *
   * @return false if there was no such grant
   */
  boolean revoke(String to, String kind, String name);

  /** The grants this workspace gave and those it received (labels included). */
  List<io.flinkplatform.engine.access.Grant> grants();

  /** The workspace's caps. */
  io.flinkplatform.engine.access.WorkspaceCaps caps();

  /** Replaces the workspace's caps; runs and definitions that exist are kept. Needs ADMIN. */
  void setCaps(io.flinkplatform.engine.access.WorkspaceCaps caps);

  /** A page of the workspace's audit trail, newest first. Needs ADMIN. */
  List<io.flinkplatform.engine.access.AuditEntry> audit(
      io.flinkplatform.engine.access.AuditQuery query);

  // --- uploaded resources (docs/resources.md)

  /**
   * Uploads {@code content} as the next version of resource {@code name} of the workspace (1 for a
   * new name); tasks then name it {@code resource:name} (the latest version) or {@code
   * resource:name@version}. Content equal to the latest version's (same SHA-256) is not stored
   * again: that version is returned and nothing is written. The content is stored in the resource
   * store before its row commits; a failed commit leaves neither. Reads {@code content} to its end
   * but does not close it. Needs EDITOR.
   *
   * @throws InvalidRequestException naming the field {@code name} and the rule if the name is not a
   *     letter or digit followed by letters, digits, {@code .}, {@code _} or {@code -} (at most
   *     191)
   */
  io.flinkplatform.engine.storage.ResourceInfo putResource(
      String name, java.io.InputStream content);

  /** The latest version of every resource of the workspace, by name. */
  List<io.flinkplatform.engine.storage.ResourceInfo> resources();

  /**
   * Every version of a resource, newest first; empty if there is none.
   *
   * @throws InvalidRequestException naming {@code name} if it is not a resource name
   */
  List<io.flinkplatform.engine.storage.ResourceInfo> resourceVersions(String name);

  /**
   * The content of one version of a resource; the caller closes the stream.
   *
   * @throws NotFoundException if the workspace has no such version
   */
  java.io.InputStream readResource(String name, int version);

  /**
   * Deletes every version of a resource, unless a stored workflow version (of any workspace) names
   * it. Needs EDITOR.
   *
   * @return false if there was no such resource
   * @throws ResourceInUseException listing the tasks that name it; nothing was deleted
   */
  boolean deleteResource(String name);

  // --- alerts (docs/alerts.md)

  /** The workspace's alert channels, rules, silences and history. */
  io.flinkplatform.engine.alert.Alerts alerts();
}
