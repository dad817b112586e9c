package io.flinkplatform.tasks.flink;

import io.flinkplatform.spi.TaskContext;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;

/**
 * Ends an attempt's Flink job when the attempt is killed, as {@code on_kill} says: a plain cancel,
 * or a stop with a savepoint (drained or not) that falls back to a cancel when it fails. On YARN
 * the job's application is killed too, so no container outlives a kill.
 */
final class JobStopper {
  private final FlinkRuntime rt;
  private final TaskContext ctx;

  JobStopper(FlinkRuntime rt, TaskContext ctx) {
    this.rt = rt;
    this.ctx = ctx;
  }

  /** Stops the attempt's current job, if it has one. */
  void stop() throws Exception {
    Optional<FlinkJobInfo> found = rt.store.jobs.current(ctx.attemptId());
    if (found.isEmpty()) {
      return;
    }
    FlinkJobInfo job = found.get();
    String mode = ctx.config().string(FlinkOptions.ON_KILL).orElse(FlinkOptions.ON_KILL_CANCEL);
    JobID id = JobID.fromHexString(job.jobId());
    if (mode.equals(FlinkOptions.ON_KILL_CANCEL)) {
      cancelNow(job, id);
      return;
    }
    boolean drain = mode.equals(FlinkOptions.ON_KILL_SAVEPOINT_DRAIN);
    ctx.log().line("stopping Flink job " + id + " with a savepoint" + (drain ? " (drain)" : ""));
    rt.stopAsync(job, drain, Optional.empty(), Optional.empty())
        .whenComplete(
            (savepoint, error) -> {
              if (error == null) {
                ctx.log().line("Flink job " + id + " stopped with savepoint " + savepoint.path());
                return;
              }
              ctx.log()
                  .line(
                      "stop-with-savepoint of "
                          + id
                          + " failed ("
                          + FlinkRuntime.rootMessage(error)
                          + "); cancelling it");
              try {
                cancelNow(job, id);
              } catch (Exception e) {
                ctx.log().line("cancelling " + id + " failed: " + FlinkRuntime.rootMessage(e));
              }
            });
  }

  /**
   * Cancels the job; on YARN, also kills its application (whether or not its Flink cluster still
   * answered).
   */
  private void cancelNow(FlinkJobInfo job, JobID id) throws Exception {
    rt.clusters.invalidate(job.cluster());
    try {
      rt.clusters
          .client(job.cluster())
          .cancel(id)
          .get(Clusters.REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      ctx.log().line("cancelled Flink job " + id);
    } catch (Exception e) {
      if (!YarnTags.isYarn(job.cluster())) {
        throw e;
      }
      ctx.log().line("cancelling Flink job " + id + " failed: " + FlinkRuntime.rootMessage(e));
    }
    if (YarnTags.isYarn(job.cluster())) {
      rt.clusters.yarn().kill(job.cluster());
      ctx.log().line("killed the YARN application of Flink job " + id);
    }
  }
}
