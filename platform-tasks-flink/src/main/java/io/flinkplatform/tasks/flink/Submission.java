package io.flinkplatform.tasks.flink;

import static io.flinkplatform.tasks.flink.FlinkOptions.ALLOW_NON_RESTORED_STATE;

import io.flinkplatform.spi.ExternalRef;
import io.flinkplatform.spi.TaskContext;
import io.flinkplatform.spi.TaskFailedException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateRecoveryOptions;

/**
 * Submits an attempt's job, one generation at a time, with a job id that derives from the attempt
 * and the generation ({@link JobIds}): recorded first, so that an owner that lost its claim, or a
 * second owner, attaches to it instead of submitting again; then delivered.
 */
final class Submission {
  private final FlinkRuntime rt;
  private final TaskContext ctx;
  private final Delivery delivery;
  private final Attachment attachment;
  private final String type;

  Submission(FlinkRuntime rt, TaskContext ctx, JobCompiler compiler) {
    this.rt = rt;
    this.type = compiler instanceof JarTaskCompiler ? FlinkTaskType.JAR : FlinkTaskType.SQL;
    this.ctx = ctx;
    this.delivery = new Delivery(rt, ctx, compiler);
    this.attachment = new Attachment(rt, ctx, delivery);
  }

  /** The attempt's reattachment, sharing this submission's delivery. */
  Attachment attachment() {
    return attachment;
  }

  /** Submits the attempt's first job, or attaches to the one an earlier owner submitted. */
  ExternalRef submit() throws Exception {
    Optional<FlinkJobInfo> earlier = rt.store.jobs.current(ctx.attemptId());
    if (earlier.isPresent()) {
      // an earlier owner submitted, then lost its claim before the engine stored the reference
      ctx.log()
          .line("attempt already submitted Flink job " + earlier.get().jobId() + "; attaching");
      return attachment.attach(earlier.get());
    }
    try {
      return generation(0, new FlinkConf(rt, ctx).restorePath());
    } catch (Rejected e) {
      ctx.log().line("rejected: " + e.getMessage());
      throw TaskFailedException.fatal(e.getMessage());
    }
  }

  /** Resubmits the attempt's job as the next generation, from the given state. */
  void resubmit(FlinkJobInfo failed, Optional<String> restore) throws Exception {
    try {
      generation(failed.generation() + 1, restore);
    } catch (Rejected e) {
      throw new FlinkTaskException("resubmission rejected: " + e.getMessage());
    }
  }

  private ExternalRef generation(int generation, Optional<String> restore) throws Exception {
    FlinkConf flinkConf = new FlinkConf(rt, ctx);
    Target target = flinkConf.target();
    if (rt.sharedMode) {
      // again at run time: the plugin's default target may have changed since the deploy
      Optional<String> refused =
          SharedMode.targetRefusal(type, ctx.config(), rt.settings.defaultTarget());
      if (refused.isPresent()) {
        throw new Rejected(refused.get());
      }
    }
    Configuration conf = flinkConf.layered();
    restore.ifPresent(
        path -> {
          conf.set(StateRecoveryOptions.SAVEPOINT_PATH, path);
          conf.set(
              StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE,
              ctx.config().bool(ALLOW_NON_RESTORED_STATE).orElse(false));
        });
    if (target.isYarn()) {
      try {
        rt.clusters.yarn();
      } catch (FlinkTaskException e) {
        throw TaskFailedException.fatal("target '" + target.id() + "': " + e.getMessage());
      }
    }
    JobID jobId = JobIds.of(rt.installationId, ctx.attemptId(), generation);
    String mark = JobIds.mark(rt.installationId, ctx.attemptId(), generation);
    long started = System.nanoTime();
    Prepared prepared = delivery.prepare(target, conf, jobId, mark);
    if (prepared.empty()) {
      ctx.log().line("the script has no job to run; its statements ran while it was prepared");
      return ExternalRef.of(JobRefs.NO_JOB);
    }
    FlinkJobInfo job = record(generation, target, conf, jobId, restore);
    if (!rt.store.jobs.insert(job, ctx.workspace(), ctx.runId(), ctx.fencingEpoch())) {
      FlinkJobInfo other = rt.store.jobs.current(ctx.attemptId()).orElseThrow();
      ctx.log().line("another owner submitted Flink job " + other.jobId() + "; attaching");
      return attachment.attach(other);
    }
    Optional<String> application = delivery.deliver(target, job, conf, prepared);
    ctx.log()
        .printf(
            "submitted Flink job %s (%s) to %s %s in %d ms%s",
            jobId,
            prepared
                .graph()
                .map(g -> JobIds.unmarked(g.getName()))
                .orElse(conf.get(PipelineOptions.NAME)),
            target.id(),
            application.map(a -> job.cluster() + " (" + a + ")").orElse(job.cluster()),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
            restore.map(p -> ", restoring from " + p).orElse(""));
    return JobRefs.of(job, application);
  }

  /** The record of a submission about to be sent. */
  private FlinkJobInfo record(
      int generation, Target target, Configuration conf, JobID jobId, Optional<String> restore)
      throws Exception {
    String cluster =
        switch (target) {
          case LOCAL -> rt.clusters.localAddress();
          case SESSION -> Clusters.sessionAddress(conf);
          case YARN_APPLICATION, YARN_PER_JOB -> YarnTags.cluster(jobId);
        };
    return new FlinkJobInfo(
        ctx.attemptId(),
        generation,
        jobId.toHexString(),
        ctx.workflowName(),
        ctx.taskId(),
        target.id(),
        cluster,
        "SUBMITTED",
        -1,
        Optional.empty(),
        restore,
        conf.getOptional(CheckpointingOptions.SAVEPOINT_DIRECTORY),
        Optional.empty(),
        rt.clock.instant(),
        Optional.empty());
  }
}
