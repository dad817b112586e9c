package io.flinkplatform.tasks.flink;

import io.flinkplatform.spi.ExternalRef;
import io.flinkplatform.spi.ExternalStatus;
import io.flinkplatform.spi.TaskConfig;
import io.flinkplatform.spi.TaskContext;
import io.flinkplatform.spi.TaskOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.jobmaster.JobResult;

/**
 * One poll of an attempt's job: reads its state, records progress, and decides. A finished job ends
 * the task; a failed one is resubmitted from its latest state while {@code max_restarts} allows
 * (after a backoff that doubles), otherwise it fails the task.
 */
final class Supervisor {
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

  private final FlinkRuntime rt;
  private final TaskContext ctx;
  private final Submission submission;

  Supervisor(FlinkRuntime rt, TaskContext ctx, Submission submission) {
    this.rt = rt;
    this.ctx = ctx;
    this.submission = submission;
  }

  ExternalStatus poll(ExternalRef ref) throws Exception {
    FlinkJobInfo job =
        rt.store
            .jobs
            .current(ctx.attemptId())
            .orElseThrow(
                () -> new FlinkTaskException("attempt " + ctx.attemptId() + " has no Flink job"));
    JobID id = JobID.fromHexString(job.jobId());
    JobView view = rt.clusters.view(job.cluster(), id);
    if (view.status().isEmpty()) {
      String message =
          "Flink job " + id + " is not known to " + job.cluster() + " (the cluster lost it)";
      rt.store.jobs.markEnded(
          ctx.attemptId(), job.generation(), ctx.fencingEpoch(), "LOST", message);
      return ExternalStatus.finished(TaskOutcome.failure(message));
    }
    Optional<String> foreign = rt.foreign(job, view);
    if (foreign.isPresent()) {
      rt.store.jobs.markEnded(
          ctx.attemptId(), job.generation(), ctx.fencingEpoch(), "FOREIGN", foreign.get());
      return ExternalStatus.finished(TaskOutcome.fatal(foreign.get()));
    }
    JobStatus status = view.status().get();
    if (!status.isGloballyTerminalState()) {
      rt.store.jobs.update(
          ctx.attemptId(),
          job.generation(),
          ctx.fencingEpoch(),
          status.name(),
          view.restarts(),
          view.lastCheckpoint().orElse(null),
          null);
      rt.alerts.polled(JobAlerts.Subject.of(ctx), job, status, view);
      ExternalStatus.Running running =
          ExternalStatus.running(
              describe(job, view), status == JobStatus.RUNNING && isStreaming(ctx));
      if (view.application().isPresent() && !ref.attributes().containsKey(JobRefs.APPLICATION_ID)) {
        Optional<String> app = JobRefs.applicationId(rt, job);
        if (app.isPresent()) {
          running = running.withRef(JobRefs.of(job, app));
        }
      }
      return running;
    }
    try {
      return switch (status) {
        case FINISHED -> finished(job);
        case CANCELED -> cancelled(job);
        default -> failed(job, id);
      };
    } finally {
      // a YARN application's cluster ends with its job: close its REST client
      rt.clusters.ended(job.cluster());
    }
  }

  /** A streaming job that runs releases the tasks behind its RUNNING edges; a batch job never. */
  private static boolean isStreaming(TaskContext ctx) {
    return !"batch".equals(ctx.config().string(FlinkOptions.MODE).orElse("streaming"));
  }

  private ExternalStatus finished(FlinkJobInfo job) {
    recorded(
        job,
        rt.store.jobs.markEnded(
            ctx.attemptId(), job.generation(), ctx.fencingEpoch(), "FINISHED", null));
    Map<String, String> outputs = new LinkedHashMap<>();
    outputs.put("job_id", job.jobId());
    // a stop-with-savepoint ends the job before its caller hears back: wait for one started
    // here, and take one started elsewhere from the cluster's statistics
    rt.awaitStop(job.jobId(), Clusters.REQUEST_TIMEOUT);
    rt.clusters
        .lastSavepoint(job.cluster(), JobID.fromHexString(job.jobId()))
        .filter(path -> isStopSavepoint(job, path))
        .ifPresent(path -> rt.savepoints.record(job, SavepointRecord.Kind.STOP_SAVEPOINT, path));
    rt.store.savepoints.ofTask(ctx.workspace(), job.workflowName(), job.taskId()).stream()
        .filter(
            s -> s.jobId().equals(job.jobId()) && s.kind() == SavepointRecord.Kind.STOP_SAVEPOINT)
        .findFirst()
        .ifPresent(s -> outputs.put("savepoint", s.path()));
    ctx.log().line("Flink job " + job.jobId() + " finished");
    return ExternalStatus.finished(TaskOutcome.success(outputs));
  }

  /** A savepoint the job ended with: not one recorded while it ran. */
  private boolean isStopSavepoint(FlinkJobInfo job, String path) {
    return rt.store.savepoints.ofTask(ctx.workspace(), job.workflowName(), job.taskId()).stream()
        .noneMatch(s -> s.path().equals(path) && s.kind() == SavepointRecord.Kind.SAVEPOINT);
  }

  private ExternalStatus cancelled(FlinkJobInfo job) {
    if (recorded(
        job,
        rt.store.jobs.markEnded(
            ctx.attemptId(), job.generation(), ctx.fencingEpoch(), "CANCELED", null))) {
      keepCheckpoint(job);
    }
    if (ctx.cancellation().isCancelled()) {
      return ExternalStatus.finished(
          TaskOutcome.failure(
              "Flink job " + job.jobId() + " cancelled: " + ctx.cancellation().reason()));
    }
    return ExternalStatus.finished(
        TaskOutcome.fatal("Flink job " + job.jobId() + " was cancelled outside the platform"));
  }

  private ExternalStatus failed(FlinkJobInfo job, JobID id) throws Exception {
    Optional<String> known = failureCause(job, id);
    if (known.isEmpty()) {
      return ExternalStatus.running("FAILED; waiting for its cluster to archive the job");
    }
    String cause = known.get();
    if (recorded(
        job,
        rt.store.jobs.markEnded(
            ctx.attemptId(), job.generation(), ctx.fencingEpoch(), "FAILED", cause))) {
      ctx.log().line("Flink job " + id + " failed: " + cause);
      keepCheckpoint(job);
      rt.alerts.failed(JobAlerts.Subject.of(ctx), job, cause);
    }
    int maxRestarts = ctx.config().integer(FlinkOptions.MAX_RESTARTS).orElse(0);
    if (job.generation() >= maxRestarts) {
      String limit =
          maxRestarts == 0 ? "" : " (after " + maxRestarts + " resubmissions by the platform)";
      return ExternalStatus.finished(
          TaskOutcome.failure("Flink job " + id + " failed" + limit + ": " + cause));
    }
    Instant endedAt =
        rt.store
            .jobs
            .current(ctx.attemptId())
            .flatMap(FlinkJobInfo::endedAt)
            .orElse(rt.clock.instant());
    Duration backoff = backoff(ctx.config(), job.generation());
    Instant due = endedAt.plus(backoff);
    if (rt.clock.instant().isBefore(due)) {
      return ExternalStatus.running(
          String.format(
              "FAILED; resubmitting in %d s (%d of %d)",
              Duration.between(rt.clock.instant(), due).toSeconds(),
              job.generation() + 1,
              maxRestarts));
    }
    Optional<String> restore = latestState(job);
    ctx.log()
        .line(
            "resubmitting ("
                + (job.generation() + 1)
                + " of "
                + maxRestarts
                + ")"
                + restore.map(p -> " from " + p).orElse(" without state"));
    submission.resubmit(job, restore);
    return ExternalStatus.running("resubmitted after a failure");
  }

  /** The wait before resubmission {@code generation + 1}: doubling, at most five minutes. */
  static Duration backoff(TaskConfig tc, int generation) {
    Duration base =
        tc.duration(FlinkOptions.RESTART_BACKOFF).orElse(FlinkOptions.DEFAULT_RESTART_BACKOFF);
    Duration d = base.multipliedBy(1L << Math.min(generation, 20));
    return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
  }

  /** The newest state of the task: the failed job's last checkpoint, else the newest savepoint. */
  private Optional<String> latestState(FlinkJobInfo job) {
    return rt.store
        .jobs
        .current(ctx.attemptId())
        .flatMap(FlinkJobInfo::lastCheckpoint)
        .or(
            () ->
                rt
                    .store
                    .savepoints
                    .ofTask(ctx.workspace(), job.workflowName(), job.taskId())
                    .stream()
                    .findFirst()
                    .map(SavepointRecord::path))
        .or(job::restoredFrom);
  }

  /** Records the retained last checkpoint of a job that ended without finishing. */
  private void keepCheckpoint(FlinkJobInfo job) {
    rt.store
        .jobs
        .current(ctx.attemptId())
        .filter(j -> j.generation() == job.generation())
        .flatMap(FlinkJobInfo::lastCheckpoint)
        .ifPresent(path -> rt.savepoints.record(job, SavepointRecord.Kind.CHECKPOINT, path));
  }

  /**
   * Whether this poll or an earlier one recorded the job's end: its archive is no longer needed
   * ({@link JobArchives}; a poll that lost the attempt to a newer owner leaves it to that owner).
   */
  private boolean recorded(FlinkJobInfo job, boolean now) {
    if (now || job.endedAt().isPresent()) {
      rt.clusters.dropArchive(job.cluster(), JobID.fromHexString(job.jobId()));
    }
    return now;
  }

  /**
   * Why the job failed: the cause recorded with its end by an earlier poll (a takeover, a
   * resubmission's backoff), else its cluster's answer, else, once a YARN application shut its
   * cluster down, the job's archive ({@link JobArchives}), else YARN's diagnostics. Empty while the
   * application's master is still shutting down without an archive to read: the cluster writes it
   * before the master exits, so the next poll reads it.
   */
  private Optional<String> failureCause(FlinkJobInfo job, JobID id) {
    if (job.endedAt().isPresent() && job.state().equals("FAILED") && job.message().isPresent()) {
      return job.message();
    }
    try {
      JobResult result =
          rt.clusters
              .client(job.cluster())
              .requestJobResult(id)
              .get(Clusters.REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return Optional.of(
          result
              .getSerializedThrowable()
              .map(t -> rootCause(t.getFullStringifiedStackTrace()))
              .orElse("no cause reported"));
    } catch (Exception e) {
      Optional<String> archived =
          rt.clusters.archivedFailure(job.cluster(), id).map(Supervisor::rootCause);
      if (archived.isPresent() || !rt.clusters.archiveSettled(job.cluster())) {
        return archived;
      }
      return Optional.of(
          rt.clusters
              .diagnostics(job.cluster())
              .orElse("cause unavailable: " + FlinkRuntime.rootMessage(e)));
    }
  }

  /** The first line of the trace and of its deepest "Caused by", which usually says why. */
  static String rootCause(String trace) {
    String first = SqlSyntax.firstLine(trace);
    int at = trace.lastIndexOf("Caused by: ");
    if (at < 0) {
      return first;
    }
    String cause = SqlSyntax.firstLine(trace.substring(at + "Caused by: ".length()));
    return cause.equals(first) ? first : first + "; caused by " + cause;
  }

  private static String describe(FlinkJobInfo job, JobView view) {
    String d = view.describe();
    return job.generation() == 0 ? d : d + ", resubmission " + job.generation();
  }
}
