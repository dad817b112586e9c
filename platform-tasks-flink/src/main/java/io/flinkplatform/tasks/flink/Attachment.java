package io.flinkplatform.tasks.flink;

import io.flinkplatform.spi.ExternalRef;
import io.flinkplatform.spi.TaskContext;
import io.flinkplatform.spi.TaskFailedException;
import java.util.Optional;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;

/**
 * Takes up an attempt's recorded Flink job again: after a failover, or when another owner of the
 * attempt submitted it first. A job from another platform is refused; a recorded submission that
 * never reached its cluster is sent again with the same job id.
 */
final class Attachment {
  private final FlinkRuntime rt;
  private final TaskContext ctx;
  private final Delivery delivery;

  Attachment(FlinkRuntime rt, TaskContext ctx, Delivery delivery) {
    this.rt = rt;
    this.ctx = ctx;
    this.delivery = delivery;
  }

  /** The reference of the attempt's recorded job, {@code ref} naming it. */
  ExternalRef reattach(ExternalRef ref) throws Exception {
    FlinkJobInfo job =
        rt.store
            .jobs
            .current(ctx.attemptId())
            .orElseThrow(
                () ->
                    new FlinkTaskException(
                        "attempt " + ctx.attemptId() + " has no record of Flink job " + ref.id()));
    ExternalRef current = attach(job);
    ctx.log().line("re-attached to Flink job " + job.jobId() + " on " + job.cluster());
    return current;
  }

  /** The reference of {@code job}, sent again if it never arrived. */
  ExternalRef attach(FlinkJobInfo job) throws Exception {
    Target target = Target.of(job.target());
    if (target == Target.LOCAL && !rt.clusters.isLocal(job.cluster())) {
      throw new FlinkTaskException(
          "Flink job "
              + job.jobId()
              + " ran on the local MiniCluster of an instance that is gone; local jobs end with"
              + " their instance (use target 'session' or YARN to survive a failover)");
    }
    JobView view = rt.clusters.view(job.cluster(), JobID.fromHexString(job.jobId()));
    Optional<String> foreign = rt.foreign(job, view);
    if (foreign.isPresent()) {
      throw TaskFailedException.fatal(foreign.get());
    }
    if (view.status().isEmpty() && "SUBMITTED".equals(job.state())) {
      // recorded, but the submission never reached the cluster (no job, or no YARN application
      // with its tag): send it again, with the same job id and tag
      resend(target, job);
    }
    return JobRefs.of(
        job, view.application().isPresent() ? JobRefs.applicationId(rt, job) : Optional.empty());
  }

  private void resend(Target target, FlinkJobInfo job) throws Exception {
    Optional<String> restore = job.restoredFrom();
    JobID id = JobID.fromHexString(job.jobId());
    Configuration conf;
    Prepared prepared;
    try {
      conf = new FlinkConf(rt, ctx).layered();
      if (restore.isPresent()) {
        conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restore.get());
      }
      prepared =
          delivery.prepare(
              target, conf, id, JobIds.mark(rt.installationId, job.attemptId(), job.generation()));
    } catch (Rejected e) {
      throw TaskFailedException.fatal(e.getMessage());
    }
    if (!prepared.empty()) {
      delivery.deliver(target, job, conf, prepared);
      ctx.log().line("submitted recorded Flink job " + job.jobId() + " that never arrived");
    }
  }
}
