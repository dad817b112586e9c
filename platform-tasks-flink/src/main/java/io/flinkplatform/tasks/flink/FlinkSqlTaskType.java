package io.flinkplatform.tasks.flink;

import io.flinkplatform.spi.TaskConfig;
import io.flinkplatform.spi.TaskContext;
import io.flinkplatform.spi.TaskOption;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.jobgraph.JobGraph;

/**
 * {@code flink_sql}: a Flink SQL script. At deploy time its statements are split and parsed by
 * Flink's parser; before submission they are planned against the task's catalogs and functions.
 * Both report problems with the script's line and column.
 */
final class FlinkSqlTaskType extends FlinkTask {
  static final String ID = "flink_sql";

  FlinkSqlTaskType(Supplier<FlinkRuntime> runtime) {
    super(runtime);
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String description() {
    return "Runs a Flink SQL script as one Flink job (local, session or YARN).";
  }

  @Override
  public List<TaskOption> options() {
    return FlinkOptions.sql();
  }

  @Override
  public List<String> validate(TaskConfig config) {
    SqlSyntax.Result r = SqlSyntax.check(config.requireString(FlinkOptions.SQL));
    List<String> problems =
        new java.util.ArrayList<>(r.problems().stream().map(p -> "option 'sql', " + p).toList());
    if (config
        .string(FlinkOptions.TARGET)
        .filter(t -> t.trim().equalsIgnoreCase(Target.YARN_APPLICATION.id()))
        .isPresent()) {
      problems.add(
          "option 'target': flink_sql cannot run in 'yarn-application' (its script is planned by"
              + " the platform, not by a main in the cluster); use yarn-per-job, session or local");
    }
    return problems;
  }

  @Override
  Optional<JobGraph> compile(TaskContext ctx, FlinkRuntime rt, Configuration conf, JobID id)
      throws Rejected, Exception {
    SqlSyntax.Result syntax = SqlSyntax.check(ctx.config().requireString(FlinkOptions.SQL));
    if (!syntax.ok()) {
      throw new Rejected(
          String.join("; ", syntax.problems().stream().map(Object::toString).toList()));
    }
    List<CatalogInfo> catalogs;
    List<FunctionInfo> functions;
    try {
      catalogs = rt.store.catalogs(ctx.config().stringList(FlinkOptions.CATALOGS));
      functions = rt.store.functions(ctx.config().stringList(FlinkOptions.FUNCTIONS));
    } catch (FlinkTaskException e) {
      throw new Rejected(e.getMessage());
    }
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    Thread.currentThread().setContextClassLoader(FlinkSqlTaskType.class.getClassLoader());
    try {
      return SqlCompiler.compile(
              syntax.statements(),
              conf,
              id,
              catalogs,
              functions,
              FlinkSqlTaskType.class.getClassLoader(),
              uri -> rt.resources.local(uri).getAbsolutePath())
          .jobGraph();
    } catch (SqlCompiler.PlanningException e) {
      throw new Rejected(e.getMessage());
    } finally {
      Thread.currentThread().setContextClassLoader(loader);
    }
  }
}
