package io.flinkplatform.tasks.flink;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.Workspaces;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a host does with Flink tasks besides running them: look at their jobs, take savepoints, stop
 * jobs with a savepoint, and keep the catalogs and functions SQL tasks use. Every call goes to the
 * platform database (and, for savepoints, to the job's cluster), so any instance can serve it.
 *
 * <p>Savepoint calls change a job (a stop ends it), so each checks the actor's role ({@link
 * io.flinkplatform.spi.Role#OPERATOR} in the workspace) and writes one audit row ({@code
 * flink.savepoint}, {@code flink.stop}) in the transaction that records the savepoint; the forms
 * without an actor act as {@link Actor#SYSTEM} in the job's workspace. Reads take no actor.
 */
public final class FlinkJobs {
  /** How long savepoint calls wait by default. */
  public static final Duration DEFAULT_SAVEPOINT_TIMEOUT = Duration.ofMinutes(5);

  private final FlinkRuntime rt;

  FlinkJobs(FlinkRuntime rt) {
    this.rt = rt;
  }

  /** The newest Flink job of an attempt (the supervisor's resubmissions count as newer). */
  public Optional<FlinkJobInfo> job(long attemptId) {
    return rt.store.jobs.current(attemptId);
  }

  /**
   * The YARN application of the attempt's newest job, as YARN reports it now (the Flink job's state
   * is {@link #job}'s); empty for jobs on other targets or an application YARN does not know.
   */
  public Optional<YarnApplicationInfo> yarnApplication(long attemptId) {
    Optional<FlinkJobInfo> job = rt.store.jobs.current(attemptId);
    if (job.isEmpty() || !YarnTags.isYarn(job.get().cluster())) {
      return Optional.empty();
    }
    try {
      return rt.clusters.yarn().find(job.get().cluster()).map(YarnClusters::info);
    } catch (Exception e) {
      throw new FlinkTaskException(
          "cannot ask YARN about the application of Flink job " + job.get().jobId(), e);
    }
  }

  /** Every Flink job of a task of a default-workspace workflow across runs, newest first. */
  public List<FlinkJobInfo> jobs(String workflowName, String taskId) {
    return jobs(Workspaces.DEFAULT, workflowName, taskId);
  }

  /** Every Flink job of a task of {@code workspace}'s workflow across runs, newest first. */
  public List<FlinkJobInfo> jobs(String workspace, String workflowName, String taskId) {
    return rt.store.jobs.ofTask(
        requireNonNull(workspace, "workspace is null"),
        requireNonNull(workflowName, "workflowName is null"),
        requireNonNull(taskId, "taskId is null"));
  }

  /**
   * The newest Flink job of each of the workspace's attempts, newest first: at most {@code limit}
   * (1 to 1000).
   */
  public List<FlinkJobInfo> jobs(String workspace, int limit) {
    if (limit < 1 || limit > 1000) {
      throw new IllegalArgumentException("limit must be from 1 to 1000, not " + limit);
    }
    return rt.store.jobs.ofWorkspace(requireNonNull(workspace, "workspace is null"), limit);
  }

  /** The Flink job of that id (hex) in the workspace; empty for none or another workspace's. */
  public Optional<FlinkJobInfo> jobById(String workspace, String jobId) {
    return rt.store.jobs.byJobId(
        requireNonNull(workspace, "workspace is null"), requireNonNull(jobId, "jobId is null"));
  }

  /**
   * Triggers a savepoint of the attempt's running job as the system, in the job's workspace, and
   * records it with its audit row ({@link #triggerSavepoint(Actor, String, long, Optional,
   * Duration)}).
   */
  public SavepointRecord triggerSavepoint(long attemptId) {
    return triggerSavepoint(attemptId, Optional.empty(), DEFAULT_SAVEPOINT_TIMEOUT);
  }

  /**
   * Triggers a savepoint into {@code directory} (or {@code execution.checkpointing.savepoint-dir}
   * when empty) as the system, in the job's workspace, and waits up to {@code timeout}.
   */
  public SavepointRecord triggerSavepoint(
      long attemptId, Optional<String> directory, Duration timeout) {
    return triggerSavepoint(Actor.SYSTEM, workspaceOf(attemptId), attemptId, directory, timeout);
  }

  /** Triggers a savepoint of the attempt's running job as {@code actor}; see below. */
  public SavepointRecord triggerSavepoint(Actor actor, String workspace, long attemptId) {
    return triggerSavepoint(
        actor, workspace, attemptId, Optional.empty(), DEFAULT_SAVEPOINT_TIMEOUT);
  }

  /**
   * Triggers a savepoint of the running job of an attempt of {@code workspace} as {@code actor}
   * into {@code directory} (or {@code execution.checkpointing.savepoint-dir} when empty), waits up
   * to {@code timeout}, and records it in {@code t_savepoint} with one audit row ({@code
   * flink.savepoint}, target {@code flink-job:<job id>}) in the same transaction. A refused call
   * writes nothing. The cluster acts first and cannot roll back: a savepoint completing after the
   * wait is recorded and audited then, and one whose record fails twice is audited alone.
   *
   * @throws io.flinkplatform.spi.AccessDeniedException if the actor is not an operator of the
   *     workspace (checked first)
   * @throws SavepointNotRecordedException if the savepoint was taken but could not be recorded
   * @throws FlinkTaskException if the attempt has no Flink job in the workspace, its job has ended,
   *     or the cluster did not take the savepoint in time
   */
  public SavepointRecord triggerSavepoint(
      Actor actor, String workspace, long attemptId, Optional<String> directory, Duration timeout) {
    return rt.triggerSavepoint(
        requireNonNull(actor, "actor is null"),
        requireNonNull(workspace, "workspace is null"),
        attemptId,
        requireNonNull(directory, "directory is null"),
        requireNonNull(timeout, "timeout is null"));
  }

  /**
   * Stops the attempt's job with a savepoint as the system, in the job's workspace ({@link
   * #stopWithSavepoint(Actor, String, long, boolean)}).
   */
  public SavepointRecord stopWithSavepoint(long attemptId, boolean drain) {
    return stopWithSavepoint(Actor.SYSTEM, workspaceOf(attemptId), attemptId, drain);
  }

  /**
   * Stops the running job of an attempt of {@code workspace} with a savepoint as {@code actor};
   * {@code drain} first lets sources end and timers fire. The job ends FINISHED, so the task
   * succeeds with the savepoint in its outputs. The savepoint is recorded with one audit row
   * ({@code flink.stop}, target {@code flink-job:<job id>}) in the same transaction; a refused call
   * writes nothing. The cluster acts first and cannot roll back: a stop completing after the wait
   * is recorded and audited then, and one whose record fails twice is audited alone.
   *
   * @throws io.flinkplatform.spi.AccessDeniedException if the actor is not an operator of the
   *     workspace (checked first)
   * @throws SavepointNotRecordedException if the job stopped but its savepoint could not be
   *     recorded
   * @throws FlinkTaskException if the attempt has no Flink job in the workspace, its job has ended,
   *     or the stop did not complete within {@link #DEFAULT_SAVEPOINT_TIMEOUT}
   */
  public SavepointRecord stopWithSavepoint(
      Actor actor, String workspace, long attemptId, boolean drain) {
    return rt.stopWithSavepoint(
        requireNonNull(actor, "actor is null"),
        requireNonNull(workspace, "workspace is null"),
        attemptId,
        drain,
        Optional.empty(),
        DEFAULT_SAVEPOINT_TIMEOUT);
  }

  private String workspaceOf(long attemptId) {
    return rt.store
        .jobs
        .workspaceOf(attemptId)
        .orElseThrow(() -> new FlinkTaskException("attempt " + attemptId + " has no Flink job"));
  }

  /**
   * Savepoints and retained checkpoints that retention kept of a task of a default-workspace
   * workflow, newest first.
   */
  public List<SavepointRecord> savepoints(String workflowName, String taskId) {
    return savepoints(Workspaces.DEFAULT, workflowName, taskId);
  }

  /**
   * Savepoints and retained checkpoints that retention kept of a task of {@code workspace}'s
   * workflow, newest first (a workflow of the same name in another workspace has its own).
   */
  public List<SavepointRecord> savepoints(String workspace, String workflowName, String taskId) {
    return rt.store.savepoints.ofTask(
        requireNonNull(workspace, "workspace is null"),
        requireNonNull(workflowName, "workflowName is null"),
        requireNonNull(taskId, "taskId is null"));
  }

  /**
   * Adds or replaces a catalog of the default workspace in {@code t_catalog_info}, as the system
   * (audited); {@link FlinkTaskPlugin#catalogs(Actor, String)} does it for an actor in a workspace.
   */
  public void putCatalog(CatalogInfo catalog) {
    new FlinkCatalogs(rt.store, Actor.SYSTEM, Workspaces.DEFAULT)
        .put(requireNonNull(catalog, "catalog is null"));
  }

  /**
   * Adds or replaces a function of the default workspace in {@code t_flink_function}, as the system
   * (audited); {@link FlinkTaskPlugin#functions(Actor, String)} does it for an actor in a
   * workspace.
   */
  public void putFunction(FunctionInfo function) {
    new FlinkFunctions(rt.store, Actor.SYSTEM, Workspaces.DEFAULT)
        .put(requireNonNull(function, "function is null"));
  }
}
