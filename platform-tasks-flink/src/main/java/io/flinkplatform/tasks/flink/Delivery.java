package io.flinkplatform.tasks.flink;

import io.flinkplatform.spi.TaskContext;
import io.flinkplatform.spi.TaskFailedException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.PipelineOptionsInternal;
import org.apache.flink.runtime.client.DuplicateJobSubmissionException;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.util.ExceptionUtils;

/**
 * Prepares an attempt's job with its {@link JobCompiler} and sends it to its target: a job graph to
 * a local or session cluster (where a job already there under the attempt's id must be the
 * attempt's own), or a YARN cluster deployed for it.
 */
final class Delivery {
  private final FlinkRuntime rt;
  private final TaskContext ctx;
  private final JobCompiler compiler;

  Delivery(FlinkRuntime rt, TaskContext ctx, JobCompiler compiler) {
    this.rt = rt;
    this.ctx = ctx;
    this.compiler = compiler;
  }

  /** The job to send to {@code target}, with {@code jobId} and named with {@code mark}. */
  Prepared prepare(Target target, Configuration conf, JobID jobId, String mark)
      throws Rejected, Exception {
    if (target == Target.YARN_APPLICATION) {
      conf.set(PipelineOptionsInternal.PIPELINE_FIXED_JOB_ID, jobId.toHexString());
      return compiler.application(ctx, rt, conf, jobId);
    }
    return new Prepared(compiler.compile(ctx, rt, conf, jobId, mark), Optional.empty(), List.of());
  }

  /** Sends a prepared job; returns the YARN application id for the YARN targets. */
  Optional<String> deliver(Target target, FlinkJobInfo job, Configuration conf, Prepared prepared)
      throws Exception {
    JobID jobId = JobID.fromHexString(job.jobId());
    if (!target.isYarn()) {
      if (!send(job.cluster(), prepared.graph().orElseThrow())) {
        verifyOwnJob(job);
      }
      return Optional.empty();
    }
    String name =
        conf.get(PipelineOptions.NAME) + " [flink-platform attempt " + ctx.attemptId() + "]";
    return Optional.of(
        rt.clusters
            .yarn()
            .deploy(conf, jobId, name, prepared.program(), prepared.graph(), prepared.temporary())
            .toString());
  }

  /**
   * Fails the task (without retries) if the job the cluster lists under the attempt's job id is not
   * the one this attempt submitted ({@link FlinkRuntime#foreign}): it is never adopted, polled,
   * stopped or cancelled.
   */
  private void verifyOwnJob(FlinkJobInfo job) throws Exception {
    rt.clusters.invalidate(job.cluster());
    JobView view = rt.clusters.view(job.cluster(), JobID.fromHexString(job.jobId()));
    Optional<String> foreign = rt.foreign(job, view);
    if (foreign.isPresent()) {
      rt.store.jobs.markEnded(
          job.attemptId(), job.generation(), ctx.fencingEpoch(), "FOREIGN", foreign.get());
      throw TaskFailedException.fatal(foreign.get());
    }
  }

  /**
   * Submits a job graph; false if the cluster has a job with that id already (not an error: the
   * caller then checks that the job there is this attempt's).
   */
  private boolean send(String cluster, JobGraph graph) throws Exception {
    rt.clusters.invalidate(cluster);
    try {
      rt.clusters
          .client(cluster)
          .submitJob(graph)
          .get(Clusters.REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException e) {
      if (ExceptionUtils.findThrowable(e, DuplicateJobSubmissionException.class).isEmpty()
          && !String.valueOf(ExceptionUtils.stringifyException(e))
              .contains(DuplicateJobSubmissionException.class.getSimpleName())) {
        throw e;
      }
      return false;
    }
  }
}
