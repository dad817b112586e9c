package io.flinkplatform.tasks.flink;

import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.Role;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.SavepointFormatType;

/**
 * What the plugin holds while the platform runs: settings, its tables, the clusters and the
 * resource store. Created by {@link FlinkTaskPlugin#start}, closed by {@link FlinkTaskPlugin#stop}.
 */
final class FlinkRuntime implements AutoCloseable {
  /** The audit action of a savepoint a caller triggered. */
  static final String SAVEPOINT_ACTION = "flink.savepoint";

  /** The audit action of a stop-with-savepoint a caller asked for. */
  static final String STOP_ACTION = "flink.stop";

  final FlinkSettings settings;
  final FlinkStore store;
  final Clusters clusters;
  final Resources resources;

  /** The platform's installation id: part of every job id and job name mark. */
  final String installationId;

  final Clock clock;

  /** Whether the platform runs in shared mode: no user code in this JVM ({@link SharedMode}). */
  final boolean sharedMode;

  /** Raises the Flink alert kinds for the workspace's rules. */
  final JobAlerts alerts;

  /** Records savepoints, with their audit rows, and applies retention. */
  final SavepointRecorder savepoints;

  private final java.util.Map<String, CompletableFuture<SavepointRecord>> stopping =
      new java.util.concurrent.ConcurrentHashMap<>();

  FlinkRuntime(
      FlinkSettings settings,
      FlinkStore store,
      String installationId,
      Clock clock,
      boolean sharedMode,
      Optional<io.flinkplatform.spi.StoredResources> stored,
      io.flinkplatform.spi.PluginAlerts alerts) {
    this.alerts = new JobAlerts(alerts);
    this.settings = settings;
    this.sharedMode = sharedMode;
    this.store = store;
    this.installationId = installationId;
    this.clock = clock;
    this.clusters = new Clusters(settings.environment(), settings);
    this.resources = new Resources(settings.hadoop(), settings.cacheDir(), stored);
    this.savepoints = new SavepointRecorder(settings, store);
  }

  /**
   * The running job of an attempt of {@code workspace}, once {@code actor} may take its savepoints
   * ({@link Role#OPERATOR} there; checked first, so a refused caller learns nothing of the job).
   *
   * @throws io.flinkplatform.spi.AccessDeniedException naming the actor, workspace and action
   * @throws FlinkTaskException if the attempt has no Flink job in the workspace, or it has ended
   */
  FlinkJobInfo runningJob(Actor actor, String workspace, long attemptId, String action) {
    store.access.require(actor, workspace, Role.OPERATOR, action);
    FlinkJobInfo job =
        store
            .jobs
            .current(attemptId)
            .filter(j -> store.jobs.workspaceOf(attemptId).orElse("").equals(workspace))
            .orElseThrow(
                () ->
                    new FlinkTaskException(
                        "attempt "
                            + attemptId
                            + " has no Flink job in workspace '"
                            + workspace
                            + "'"));
    if (job.endedAt().isPresent()) {
      throw new FlinkTaskException(
          "the Flink job "
              + job.jobId()
              + " of attempt "
              + attemptId
              + " has ended ("
              + job.state()
              + "); savepoints need a running job");
    }
    return job;
  }

  /** The REST client of the job's cluster (on YARN: of its application's Flink cluster). */
  org.apache.flink.client.program.rest.RestClusterClient<?> client(FlinkJobInfo job) {
    try {
      return clusters.client(job.cluster());
    } catch (FlinkTaskException e) {
      throw e;
    } catch (Exception e) {
      throw new FlinkTaskException(
          "cannot reach the cluster " + job.cluster() + " of Flink job " + job.jobId(), e);
    }
  }

  /**
   * Triggers a savepoint of the attempt's running job as {@code actor}, waits for it and records it
   * with its {@code flink.savepoint} audit row in one transaction ({@link
   * SavepointRecorder#recordAudited}). A savepoint that completes after the wait timed out is
   * recorded and audited when it completes.
   */
  SavepointRecord triggerSavepoint(
      Actor actor, String workspace, long attemptId, Optional<String> directory, Duration timeout) {
    FlinkJobInfo job = runningJob(actor, workspace, attemptId, SAVEPOINT_ACTION);
    SavepointRecorder.Audit audit =
        new SavepointRecorder.Audit(actor, workspace, SAVEPOINT_ACTION, job, sp -> sp);
    CompletableFuture<String> taken =
        client(job)
            .triggerSavepoint(
                JobID.fromHexString(job.jobId()),
                directory.or(job::savepointDir).orElse(null),
                SavepointFormatType.CANONICAL);
    return await(
        taken.thenApply(
            path -> savepoints.recordAudited(job, SavepointRecord.Kind.SAVEPOINT, path, audit)),
        timeout,
        "savepoint of Flink job " + job.jobId(),
        actor);
  }

  /**
   * Stops the attempt's job with a savepoint as {@code actor} (draining its sources if asked) and
   * records it with its {@code flink.stop} audit row in one transaction ({@link
   * SavepointRecorder#recordAudited}). A stop that completes after the wait timed out is recorded
   * and audited when it completes.
   */
  SavepointRecord stopWithSavepoint(
      Actor actor,
      String workspace,
      long attemptId,
      boolean drain,
      Optional<String> directory,
      Duration timeout) {
    FlinkJobInfo job = runningJob(actor, workspace, attemptId, STOP_ACTION);
    SavepointRecorder.Audit audit =
        new SavepointRecorder.Audit(
            actor,
            workspace,
            STOP_ACTION,
            job,
            sp -> "stopped with " + sp + (drain ? ", drained" : ""));
    return await(
        stopAsync(job, drain, directory, Optional.of(audit)),
        timeout,
        "stop-with-savepoint of Flink job " + job.jobId(),
        actor);
  }

  /**
   * Starts a stop-with-savepoint; the savepoint is recorded when it completes, with the audit row
   * of {@code audit} if there is one (an {@code on_kill} stop has none: the kill is audited).
   */
  CompletableFuture<SavepointRecord> stopAsync(
      FlinkJobInfo job,
      boolean drain,
      Optional<String> dir,
      Optional<SavepointRecorder.Audit> audit) {
    clusters.invalidate(job.cluster());
    CompletableFuture<SavepointRecord> stop =
        client(job)
            .stopWithSavepoint(
                JobID.fromHexString(job.jobId()),
                drain,
                dir.or(job::savepointDir).orElse(null),
                SavepointFormatType.CANONICAL)
            .thenApply(
                path ->
                    audit.isPresent()
                        ? savepoints.recordAudited(
                            job, SavepointRecord.Kind.STOP_SAVEPOINT, path, audit.get())
                        : savepoints.recordTwice(
                            job, SavepointRecord.Kind.STOP_SAVEPOINT, path, null));
    stopping.put(job.jobId(), stop);
    stop.whenComplete((path, error) -> stopping.remove(job.jobId(), stop));
    return stop;
  }

  /**
   * The savepoint of a stop-with-savepoint this instance started for the job, once it completed
   * (the job can reach FINISHED before the caller hears back); empty if none is in flight.
   */
  Optional<String> awaitStop(String jobId, Duration timeout) {
    CompletableFuture<SavepointRecord> stop = stopping.get(jobId);
    if (stop == null) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(stop.get(timeout.toMillis(), TimeUnit.MILLISECONDS))
          .map(SavepointRecord::path);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  /**
   * Why a job the cluster lists under {@code job}'s id is not this attempt's, if it is not: its
   * name lacks the mark this installation gave the attempt's submission. YARN applications are
   * found by a tag derived from the job id and their job is named in the cluster, so they are not
   * checked here; a job recorded by an earlier version (whose id was derived without the
   * installation id) has no mark to check.
   */
  Optional<String> foreign(FlinkJobInfo job, JobView view) {
    if (YarnTags.isYarn(job.cluster()) || view.name().isEmpty()) {
      return Optional.empty();
    }
    if (!job.jobId()
        .equals(JobIds.of(installationId, job.attemptId(), job.generation()).toHexString())) {
      return Optional.empty();
    }
    String mark = JobIds.mark(installationId, job.attemptId(), job.generation());
    if (view.name().get().endsWith(mark)) {
      return Optional.empty();
    }
    return Optional.of(
        "the Flink job "
            + job.jobId()
            + " on "
            + job.cluster()
            + " is not this attempt's: it is named '"
            + view.name().get()
            + "', without the mark '"
            + mark.trim()
            + "' this platform gives attempt "
            + job.attemptId()
            + " (another platform submitted a job with this id); it is left alone");
  }

  /**
   * Waits for a savepoint action: a {@link SavepointNotRecordedException} is rethrown as it is, any
   * other failure is the cluster's; a timeout says the action may still complete (and then be
   * recorded and audited as {@code actor}).
   */
  private static <T> T await(CompletableFuture<T> f, Duration timeout, String what, Actor actor) {
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FlinkTaskException(what + " was interrupted", e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new FlinkTaskException(
          what
              + " did not complete within "
              + timeout
              + "; if it completes later, it is recorded and audited as "
              + actor.name()
              + " then",
          e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof SavepointNotRecordedException notRecorded) {
        throw notRecorded;
      }
      throw new FlinkTaskException(
          what + " failed: " + SqlSyntax.firstLine(rootMessage(e.getCause())), e.getCause());
    }
  }

  static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }

  @Override
  public void close() {
    clusters.close();
  }
}
