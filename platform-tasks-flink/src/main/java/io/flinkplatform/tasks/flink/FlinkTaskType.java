package io.flinkplatform.tasks.flink;

import io.flinkplatform.spi.ExternalRef;
import io.flinkplatform.spi.ExternalStatus;
import io.flinkplatform.spi.ExternalTaskType;
import io.flinkplatform.spi.TaskConfig;
import io.flinkplatform.spi.TaskContext;
import io.flinkplatform.spi.TaskOption;
import io.flinkplatform.spi.TaskOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A Flink task type, {@code flink_sql} or {@code flink_jar}: the two differ only in their {@link
 * JobCompiler}. Submission with a deterministic job id ({@link Submission}), re-attach ({@link
 * Attachment}), polling with the supervisor's restarts ({@link Supervisor}) and kills ({@link
 * JobStopper}) are the same for both; each works on the plugin's runtime once it is started.
 */
final class FlinkTaskType implements ExternalTaskType {
  static final String SQL = "flink_sql";
  static final String JAR = "flink_jar";

  private final Supplier<FlinkRuntime> runtime;
  private final String id;
  private final String description;
  private final List<TaskOption> options;
  private final JobCompiler compiler;

  private FlinkTaskType(
      Supplier<FlinkRuntime> runtime,
      String id,
      String description,
      List<TaskOption> options,
      JobCompiler compiler) {
    this.runtime = runtime;
    this.id = id;
    this.description = description;
    this.options = List.copyOf(options);
    this.compiler = compiler;
  }

  /** {@code flink_sql}: a Flink SQL script run as one Flink job. */
  static FlinkTaskType sql(Supplier<FlinkRuntime> runtime) {
    return new FlinkTaskType(
        runtime,
        SQL,
        "Runs a Flink SQL script as one Flink job (local, session or YARN).",
        FlinkOptions.sql(),
        new SqlTaskCompiler());
  }

  /** {@code flink_jar}: the Flink job a jar's main class builds. */
  static FlinkTaskType jar(Supplier<FlinkRuntime> runtime) {
    return new FlinkTaskType(
        runtime,
        JAR,
        "Runs the Flink job built by a jar's main class (local, session or YARN).",
        FlinkOptions.jar(),
        new JarTaskCompiler());
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

  @Override
  public List<String> validate(TaskConfig config) {
    FlinkRuntime rt = runtime.get();
    ConfKeys keys = rt == null ? new ConfKeys(Optional.empty()) : rt.settings.confKeys();
    List<String> problems = new ArrayList<>(FlinkConf.problems(config, keys));
    problems.addAll(compiler.problems(config, keys));
    if (rt != null && rt.sharedMode) {
      List<SqlSyntax.Parsed> statements =
          SQL.equals(id)
              ? SqlSyntax.check(config.requireString(FlinkOptions.SQL)).statements()
              : List.of();
      problems.addAll(SharedMode.problems(id, config, rt.settings.defaultTarget(), statements));
    }
    return problems;
  }

  /**
   * {@link #validate(TaskConfig)}, and for {@code flink_sql} the catalogs and functions it names
   * from {@code workspace}: {@code owner/name} only while {@code owner} grants it (kind {@code
   * catalog}, or {@code function}); checked again when the task runs.
   */
  @Override
  public List<String> validate(TaskConfig config, String workspace) {
    List<String> problems = new ArrayList<>(validate(config));
    FlinkRuntime rt = runtime.get();
    if (rt != null && problems.isEmpty()) {
      resourceProblems(config, workspace, rt, problems);
    }
    if (id.equals(SQL) && rt != null) {
      problems.addAll(
          Definitions.problems(
              workspace,
              FlinkOptions.CATALOGS,
              config.stringList(FlinkOptions.CATALOGS),
              FlinkCatalogs.GRANT_KIND,
              rt.store.access));
      problems.addAll(
          Definitions.problems(
              workspace,
              FlinkOptions.FUNCTIONS,
              config.stringList(FlinkOptions.FUNCTIONS),
              FlinkFunctions.GRANT_KIND,
              rt.store.access));
    }
    return problems;
  }

  /** The uploaded resources the task names ({@code resource:}) that its workspace cannot use. */
  private void resourceProblems(
      TaskConfig config, String workspace, FlinkRuntime rt, List<String> problems) {
    if (id.equals(SQL)) {
      for (String ref : SqlTaskCompiler.addedResources(config)) {
        rt.resources
            .problem(workspace, ref)
            .ifPresent(p -> problems.add("option 'sql', ADD JAR: " + p));
      }
      return;
    }
    java.util.Map<String, String> jars = new java.util.LinkedHashMap<>();
    config.string(FlinkOptions.JAR).ifPresent(j -> jars.put(j, FlinkOptions.JAR));
    config.stringList(FlinkOptions.EXTRA_JARS).forEach(j -> jars.put(j, FlinkOptions.EXTRA_JARS));
    jars.forEach(
        (jar, option) -> {
          if (io.flinkplatform.spi.StoredResources.isReference(jar.trim())) {
            rt.resources
                .problem(workspace, jar.trim())
                .ifPresent(p -> problems.add("option '" + option + "': " + p));
          }
        });
  }

  @Override
  public Duration pollInterval() {
    FlinkRuntime rt = runtime.get();
    return rt == null ? FlinkSettings.DEFAULT_POLL_INTERVAL : rt.settings.pollInterval();
  }

  @Override
  public ExternalRef submit(TaskContext ctx) throws Exception {
    return new Submission(started(), ctx, compiler).submit();
  }

  @Override
  public ExternalRef reattach(TaskContext ctx, ExternalRef ref) throws Exception {
    if (JobRefs.isJobless(ref)) {
      return ref;
    }
    return new Submission(started(), ctx, compiler).attachment().reattach(ref);
  }

  @Override
  public ExternalStatus poll(TaskContext ctx, ExternalRef ref) throws Exception {
    if (ref.id().equals(JobRefs.NO_JOB)) {
      return ExternalStatus.finished(TaskOutcome.success());
    }
    if (ref.id().equals(JobRefs.REJECTED)) {
      return ExternalStatus.finished(TaskOutcome.fatal(ref.attributes().get("error")));
    }
    FlinkRuntime rt = started();
    return new Supervisor(rt, ctx, new Submission(rt, ctx, compiler)).poll(ref);
  }

  @Override
  public void cancel(TaskContext ctx, ExternalRef ref) throws Exception {
    if (JobRefs.isJobless(ref)) {
      return;
    }
    new JobStopper(started(), ctx).stop();
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
