package io.flinkplatform.tasks.flink;

import static io.flinkplatform.tasks.flink.FlinkOptions.ALLOW_NON_RESTORED_STATE;
import static io.flinkplatform.tasks.flink.FlinkOptions.FLINK_CONF;
import static io.flinkplatform.tasks.flink.FlinkOptions.JOB_NAME;
import static io.flinkplatform.tasks.flink.FlinkOptions.MODE;
import static io.flinkplatform.tasks.flink.FlinkOptions.PARALLELISM;
import static io.flinkplatform.tasks.flink.FlinkOptions.RESTORE_FROM;
import static io.flinkplatform.tasks.flink.FlinkOptions.SAVEPOINT_DIR;
import static io.flinkplatform.tasks.flink.FlinkOptions.TARGET;

import io.flinkplatform.spi.ExternalRef;
import io.flinkplatform.spi.ExternalStatus;
import io.flinkplatform.spi.ExternalTaskType;
import io.flinkplatform.spi.TaskConfig;
import io.flinkplatform.spi.TaskContext;
import io.flinkplatform.spi.TaskFailedException;
import io.flinkplatform.spi.TaskOption;
import io.flinkplatform.spi.TaskOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.deployment.application.ApplicationConfiguration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.PipelineOptionsInternal;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.runtime.client.DuplicateJobSubmissionException;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.util.ExceptionUtils;

/**
 * What {@code flink_sql} and {@code flink_jar} share: the layered configuration, submission with a
 * deterministic job id, polling, the supervisor's restarts, cancel and re-attach. Subclasses only
 * turn a task into a job graph.
 */
abstract class FlinkTask implements ExternalTaskType {
  /** The reference of a script with no job (DDL only): it succeeded when it was prepared. */
  static final String NO_JOB = "no-job";

  /**
   * The reference of a task that failed validation before anything was submitted, as stored by
   * earlier versions (which could not fail a submission without retries); polls end it fatally.
   */
  static final String REJECTED = "rejected";

  private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
  private final Supplier<FlinkRuntime> runtime;
  private final String id;
  private final String description;
  private final List<TaskOption> options;

  FlinkTask(
      Supplier<FlinkRuntime> runtime, String id, String description, List<TaskOption> options) {
    this.runtime = runtime;
    this.id = id;
    this.description = description;
    this.options = List.copyOf(options);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public List<TaskOption> options() {
    return options;
  }

  /** Thrown by {@link #compile} for a task that can never run as configured. */
  static final class Rejected extends Exception {
    Rejected(String message) {
      super(message);
    }
  }

  /**
   * The job graph of the task, its name followed by {@code mark} ({@link JobIds#mark}), or empty if
   * it has nothing to run.
   */
  abstract Optional<JobGraph> compile(
      TaskContext ctx, FlinkRuntime rt, Configuration conf, JobID id, String mark)
      throws Rejected, Exception;

  FlinkRuntime runtime() {
    return runtime.get();
  }

  @Override
  public Duration pollInterval() {
    FlinkRuntime rt = runtime.get();
    return rt == null ? FlinkSettings.DEFAULT_POLL_INTERVAL : rt.settings.pollInterval();
  }

  // ---- configuration ----

  /**
   * platform defaults < environment (settings) < task flink_conf < task options; SET comes later.
   */
  static Configuration layered(FlinkRuntime rt, TaskContext ctx) throws Rejected {
    TaskConfig tc = ctx.config();
    List<String> refused = rt.settings.confKeys().problems(FLINK_CONF, tc.stringMap(FLINK_CONF));
    if (!refused.isEmpty()) {
      throw new Rejected(String.join("; ", refused));
    }
    Configuration conf = rt.settings.environment();
    conf.addAll(Configuration.fromMap(tc.stringMap(FLINK_CONF)));
    conf.set(
        ExecutionOptions.RUNTIME_MODE,
        "batch".equals(tc.string(MODE).orElse("streaming"))
            ? org.apache.flink.api.common.RuntimeExecutionMode.BATCH
            : org.apache.flink.api.common.RuntimeExecutionMode.STREAMING);
    tc.integer(PARALLELISM)
        .ifPresent(
            p -> conf.set(org.apache.flink.configuration.CoreOptions.DEFAULT_PARALLELISM, p));
    conf.set(
        PipelineOptions.NAME, tc.string(JOB_NAME).orElse(ctx.workflowName() + "." + ctx.taskId()));
    tc.string(SAVEPOINT_DIR).ifPresent(d -> conf.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, d));
    return conf;
  }

  /**
   * What a task may not configure, as of deploy: the keys of {@code flink_conf} that {@link
   * ConfKeys} refuses.
   */
  List<String> confProblems(TaskConfig config) {
    FlinkRuntime rt = runtime.get();
    ConfKeys keys = rt == null ? new ConfKeys(Optional.empty()) : rt.settings.confKeys();
    return keys.problems(FLINK_CONF, config.stringMap(FLINK_CONF));
  }

  Target target(FlinkRuntime rt, TaskConfig tc) {
    return tc.string(TARGET).map(Target::of).orElse(rt.settings.defaultTarget());
  }

  /** Where {@code restore_from} points, if anywhere. */
  static Optional<String> restorePath(FlinkRuntime rt, TaskContext ctx) throws Rejected {
    Optional<String> option = ctx.config().string(RESTORE_FROM).map(String::trim);
    if (option.isEmpty() || option.get().isEmpty()) {
      return Optional.empty();
    }
    String v = option.get();
    if (v.equals(FlinkOptions.RESTORE_LATEST)) {
      Optional<String> latest =
          rt.store.savepoints(ctx.workflowName(), ctx.taskId()).stream()
              .findFirst()
              .map(SavepointRecord::path);
      if (latest.isEmpty()) {
        ctx.log()
            .line("restore_from 'latest': no savepoint of this task yet; starting without state");
      }
      return latest;
    }
    if (v.startsWith(FlinkOptions.RESTORE_SAVEPOINT_PREFIX)) {
      String id = v.substring(FlinkOptions.RESTORE_SAVEPOINT_PREFIX.length());
      try {
        return Optional.of(
            rt.store
                .savepoint(Long.parseLong(id))
                .orElseThrow(
                    () -> new Rejected("restore_from: savepoint " + id + " does not exist"))
                .path());
      } catch (NumberFormatException e) {
        throw new Rejected(
            "restore_from: '"
                + v
                + "' is not savepoint:<id> with a numeric id; use 'latest',"
                + " 'savepoint:<id>' or a path");
      }
    }
    return Optional.of(v);
  }

  // ---- submit ----

  @Override
  public ExternalRef submit(TaskContext ctx) throws Exception {
    FlinkRuntime rt = started();
    Optional<FlinkJobInfo> earlier = rt.store.currentJob(ctx.attemptId());
    if (earlier.isPresent()) {
      // an earlier owner submitted, then lost its claim before the engine stored the reference
      ctx.log()
          .line("attempt already submitted Flink job " + earlier.get().jobId() + "; attaching");
      return attach(ctx, rt, earlier.get());
    }
    try {
      return submitGeneration(ctx, rt, 0, restorePath(rt, ctx));
    } catch (Rejected e) {
      ctx.log().line("rejected: " + e.getMessage());
      throw TaskFailedException.fatal(e.getMessage());
    }
  }

  private ExternalRef submitGeneration(
      TaskContext ctx, FlinkRuntime rt, int generation, Optional<String> restore) throws Exception {
    Target target = target(rt, ctx.config());
    Configuration conf = layered(rt, ctx);
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
    Prepared prepared = prepare(ctx, rt, target, conf, jobId, mark);
    if (prepared.empty()) {
      ctx.log().line("the script has no job to run; its statements ran while it was prepared");
      return ExternalRef.of(NO_JOB);
    }
    String cluster =
        switch (target) {
          case LOCAL -> rt.clusters.localAddress();
          case SESSION -> Clusters.sessionAddress(conf);
          case YARN_APPLICATION, YARN_PER_JOB -> YarnTags.cluster(jobId);
        };
    FlinkJobInfo job =
        new FlinkJobInfo(
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
    if (!rt.store.insertJob(job, ctx.runId(), ctx.fencingEpoch())) {
      FlinkJobInfo other = rt.store.currentJob(ctx.attemptId()).orElseThrow();
      ctx.log().line("another owner submitted Flink job " + other.jobId() + "; attaching");
      return attach(ctx, rt, other);
    }
    Optional<String> application = deliver(ctx, rt, target, job, conf, prepared);
    ctx.log()
        .printf(
            "submitted Flink job %s (%s) to %s %s in %d ms%s",
            jobId,
            prepared
                .graph()
                .map(g -> JobIds.unmarked(g.getName()))
                .orElse(conf.get(PipelineOptions.NAME)),
            target.id(),
            application.map(a -> cluster + " (" + a + ")").orElse(cluster),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
            restore.map(p -> ", restoring from " + p).orElse(""));
    return ref(job, application);
  }

  /**
   * What is sent to a cluster: a job graph built here, or (YARN application mode) the program whose
   * main builds the job in the cluster; and local files to delete once it was deployed.
   */
  record Prepared(
      Optional<JobGraph> graph,
      Optional<ApplicationConfiguration> program,
      List<java.nio.file.Path> temporary) {
    static final Prepared NOTHING = new Prepared(Optional.empty(), Optional.empty(), List.of());

    static Prepared program(ApplicationConfiguration program, List<java.nio.file.Path> temporary) {
      return new Prepared(Optional.empty(), Optional.of(program), List.copyOf(temporary));
    }

    boolean empty() {
      return graph.isEmpty() && program.isEmpty();
    }
  }

  private Prepared prepare(
      TaskContext ctx, FlinkRuntime rt, Target target, Configuration conf, JobID jobId, String mark)
      throws Rejected, Exception {
    if (target == Target.YARN_APPLICATION) {
      conf.set(PipelineOptionsInternal.PIPELINE_FIXED_JOB_ID, jobId.toHexString());
      return application(ctx, rt, conf, jobId);
    }
    return new Prepared(compile(ctx, rt, conf, jobId, mark), Optional.empty(), List.of());
  }

  /**
   * The program of a YARN application cluster: the cluster runs its main, which builds the job with
   * the fixed job id of {@code conf}. Sets {@code pipeline.jars} (and ship files) in {@code conf};
   * {@link Prepared#NOTHING} if the task has no job to run.
   */
  abstract Prepared application(TaskContext ctx, FlinkRuntime rt, Configuration conf, JobID jobId)
      throws Rejected, Exception;

  /** Sends a prepared job; returns the YARN application id for the YARN targets. */
  private static Optional<String> deliver(
      TaskContext ctx,
      FlinkRuntime rt,
      Target target,
      FlinkJobInfo job,
      Configuration conf,
      Prepared prepared)
      throws Exception {
    JobID jobId = JobID.fromHexString(job.jobId());
    if (!target.isYarn()) {
      if (!send(rt, job.cluster(), prepared.graph().orElseThrow())) {
        verifyOwnJob(ctx, rt, job);
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
  static void verifyOwnJob(TaskContext ctx, FlinkRuntime rt, FlinkJobInfo job) throws Exception {
    rt.clusters.invalidate(job.cluster());
    JobView view = rt.clusters.view(job.cluster(), JobID.fromHexString(job.jobId()));
    Optional<String> foreign = rt.foreign(job, view);
    if (foreign.isPresent()) {
      rt.store.markEnded(
          job.attemptId(), job.generation(), ctx.fencingEpoch(), "FOREIGN", foreign.get());
      throw TaskFailedException.fatal(foreign.get());
    }
  }

  /**
   * Submits a job graph; false if the cluster has a job with that id already (not an error: the
   * caller then checks that the job there is this attempt's).
   */
  private static boolean send(FlinkRuntime rt, String cluster, JobGraph graph) throws Exception {
    rt.clusters.invalidate(cluster);
    try {
      rt.clusters
          .client(cluster)
          .submitJob(graph)
          .get(Clusters.REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (java.util.concurrent.ExecutionException e) {
      if (ExceptionUtils.findThrowable(e, DuplicateJobSubmissionException.class).isEmpty()
          && !String.valueOf(ExceptionUtils.stringifyException(e))
              .contains(DuplicateJobSubmissionException.class.getSimpleName())) {
        throw e;
      }
      return false;
    }
  }

  static ExternalRef ref(FlinkJobInfo job, Optional<String> application) {
    Map<String, String> attributes = new java.util.TreeMap<>();
    attributes.put("target", job.target());
    attributes.put("cluster", job.cluster());
    attributes.put("generation", Integer.toString(job.generation()));
    application.ifPresent(a -> attributes.put(APPLICATION_ID, a));
    return new ExternalRef(job.jobId(), attributes);
  }

  /** The attribute of a YARN job's reference that holds its application id, once known. */
  static final String APPLICATION_ID = "application_id";

  private ExternalRef attach(TaskContext ctx, FlinkRuntime rt, FlinkJobInfo job) throws Exception {
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
      Optional<String> restore = job.restoredFrom();
      JobID id = JobID.fromHexString(job.jobId());
      Configuration conf;
      Prepared prepared;
      try {
        conf = layered(rt, ctx);
        if (restore.isPresent()) {
          conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restore.get());
        }
        prepared =
            prepare(
                ctx,
                rt,
                target,
                conf,
                id,
                JobIds.mark(rt.installationId, job.attemptId(), job.generation()));
      } catch (Rejected e) {
        throw TaskFailedException.fatal(e.getMessage());
      }
      if (!prepared.empty()) {
        deliver(ctx, rt, target, job, conf, prepared);
        ctx.log().line("submitted recorded Flink job " + job.jobId() + " that never arrived");
      }
    }
    return ref(job, view.application().isPresent() ? applicationId(rt, job) : Optional.empty());
  }

  /** The YARN application id of a YARN job, if its application is found. */
  static Optional<String> applicationId(FlinkRuntime rt, FlinkJobInfo job) {
    if (!YarnTags.isYarn(job.cluster())) {
      return Optional.empty();
    }
    try {
      return rt.clusters.yarn().find(job.cluster()).map(r -> r.getApplicationId().toString());
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  @Override
  public ExternalRef reattach(TaskContext ctx, ExternalRef ref) throws Exception {
    if (ref.id().equals(NO_JOB) || ref.id().equals(REJECTED)) {
      return ref;
    }
    FlinkRuntime rt = started();
    FlinkJobInfo job =
        rt.store
            .currentJob(ctx.attemptId())
            .orElseThrow(
                () ->
                    new FlinkTaskException(
                        "attempt " + ctx.attemptId() + " has no record of Flink job " + ref.id()));
    ExternalRef current = attach(ctx, rt, job);
    ctx.log().line("re-attached to Flink job " + job.jobId() + " on " + job.cluster());
    return current;
  }

  // ---- poll ----

  @Override
  public ExternalStatus poll(TaskContext ctx, ExternalRef ref) throws Exception {
    if (ref.id().equals(NO_JOB)) {
      return ExternalStatus.finished(TaskOutcome.success());
    }
    if (ref.id().equals(REJECTED)) {
      return ExternalStatus.finished(TaskOutcome.fatal(ref.attributes().get("error")));
    }
    FlinkRuntime rt = started();
    return new Supervisor(this, rt, ctx).poll(ref);
  }

  /** Resubmits the attempt's job as the next generation, from the given state. */
  void resubmit(TaskContext ctx, FlinkRuntime rt, FlinkJobInfo failed, Optional<String> restore)
      throws Exception {
    try {
      submitGeneration(ctx, rt, failed.generation() + 1, restore);
    } catch (Rejected e) {
      throw new FlinkTaskException("resubmission rejected: " + e.getMessage());
    }
  }

  static Duration backoff(TaskConfig tc, int generation) {
    Duration base =
        tc.duration(FlinkOptions.RESTART_BACKOFF).orElse(FlinkOptions.DEFAULT_RESTART_BACKOFF);
    Duration d = base.multipliedBy(1L << Math.min(generation, 20));
    return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
  }

  // ---- cancel ----

  @Override
  public void cancel(TaskContext ctx, ExternalRef ref) throws Exception {
    if (ref.id().equals(NO_JOB) || ref.id().equals(REJECTED)) {
      return;
    }
    FlinkRuntime rt = started();
    Optional<FlinkJobInfo> found = rt.store.currentJob(ctx.attemptId());
    if (found.isEmpty()) {
      return;
    }
    FlinkJobInfo job = found.get();
    String mode = ctx.config().string(FlinkOptions.ON_KILL).orElse(FlinkOptions.ON_KILL_CANCEL);
    JobID id = JobID.fromHexString(job.jobId());
    if (!mode.equals(FlinkOptions.ON_KILL_CANCEL)) {
      boolean drain = mode.equals(FlinkOptions.ON_KILL_SAVEPOINT_DRAIN);
      ctx.log().line("stopping Flink job " + id + " with a savepoint" + (drain ? " (drain)" : ""));
      rt.stopAsync(job, drain, Optional.empty())
          .whenComplete(
              (path, error) -> {
                if (error == null) {
                  ctx.log().line("Flink job " + id + " stopped with savepoint " + path);
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
                  cancelNow(ctx, rt, job, id);
                } catch (Exception e) {
                  ctx.log().line("cancelling " + id + " failed: " + FlinkRuntime.rootMessage(e));
                }
              });
      return;
    }
    cancelNow(ctx, rt, job, id);
  }

  /**
   * Cancels the job; on YARN, also kills its application (whether or not its Flink cluster still
   * answered), so no container outlives a kill.
   */
  private static void cancelNow(TaskContext ctx, FlinkRuntime rt, FlinkJobInfo job, JobID id)
      throws Exception {
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

  private FlinkRuntime started() {
    FlinkRuntime rt = runtime.get();
    if (rt == null) {
      throw new IllegalStateException(
          "the flink plugin is not started: register it with Platform.builder().plugin(...)");
    }
    return rt;
  }
}
