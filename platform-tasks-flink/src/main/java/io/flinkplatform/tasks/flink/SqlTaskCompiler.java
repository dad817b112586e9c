package io.flinkplatform.tasks.flink;

import io.flinkplatform.spi.StoredResources;
import io.flinkplatform.spi.TaskConfig;
import io.flinkplatform.spi.TaskContext;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.client.deployment.application.ApplicationConfiguration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.sql.parser.ddl.SqlAddJar;

/**
 * The job of {@code flink_sql}: a Flink SQL script. At deploy time its statements are split and
 * parsed by Flink's parser; before submission they are planned against the task's catalogs and
 * functions ({@link SqlCompiler}). Both report problems with the script's line and column.
 */
final class SqlTaskCompiler implements JobCompiler {
  @Override
  public List<String> problems(TaskConfig config, ConfKeys keys) {
    SqlSyntax.Result r = SqlSyntax.check(config.requireString(FlinkOptions.SQL));
    List<String> problems = new ArrayList<>();
    r.problems().forEach(p -> problems.add("option 'sql', " + p));
    SqlCompiler.refusedSets(r.statements(), keys).forEach(p -> problems.add("option 'sql', " + p));
    return problems;
  }

  /** A script checked and planned against its catalogs and functions. */
  private record Planned(
      List<SqlSyntax.Parsed> statements,
      List<CatalogInfo> catalogs,
      List<FunctionInfo> functions,
      SqlCompiler.Compiled compiled) {}

  private static Planned plan(
      TaskContext ctx, FlinkRuntime rt, Configuration conf, JobID id, String mark)
      throws Rejected, Exception {
    SqlSyntax.Result syntax = SqlSyntax.check(ctx.config().requireString(FlinkOptions.SQL));
    if (!syntax.ok()) {
      throw new Rejected(
          String.join("; ", syntax.problems().stream().map(Object::toString).toList()));
    }
    List<CatalogInfo> catalogs;
    List<FunctionInfo> functions;
    try {
      // resolved in the run's workspace, grants asked again: a revoked one fails the task here
      catalogs =
          rt.store.catalogs.named(
              ctx.workspace(), ctx.config().stringList(FlinkOptions.CATALOGS), rt.store.access);
      functions =
          rt.store.functions.named(
              ctx.workspace(), ctx.config().stringList(FlinkOptions.FUNCTIONS), rt.store.access);
    } catch (FlinkTaskException e) {
      throw new Rejected(e.getMessage());
    }
    if (rt.sharedMode) {
      // no user jar is loaded into this JVM while the script is planned (SharedMode)
      List<String> refused = new ArrayList<>();
      syntax.statements().forEach(p -> SharedMode.statementRefusal(p).ifPresent(refused::add));
      functions.forEach(f -> SharedMode.functionRefusal(f).ifPresent(refused::add));
      if (!refused.isEmpty()) {
        throw new Rejected(String.join("; ", refused));
      }
    }
    functions = withLocalJars(ctx, rt, functions);
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    Thread.currentThread().setContextClassLoader(SqlTaskCompiler.class.getClassLoader());
    try {
      return new Planned(
          syntax.statements(),
          catalogs,
          functions,
          SqlCompiler.compile(
              syntax.statements(),
              conf,
              id,
              mark,
              rt.settings.confKeys(),
              catalogs,
              functions,
              SqlTaskCompiler.class.getClassLoader(),
              uri -> rt.resources.local(ctx.workspace(), uri).getAbsolutePath()));
    } catch (SqlCompiler.PlanningException e) {
      throw new Rejected(e.getMessage());
    } finally {
      Thread.currentThread().setContextClassLoader(loader);
    }
  }

  /**
   * The functions with their {@code resource:} jars staged: such a jar is resolved in the task's
   * workspace (a function shared with other workspaces names its jar {@code resource:owner/name},
   * which the owner grants too).
   */
  private static List<FunctionInfo> withLocalJars(
      TaskContext ctx, FlinkRuntime rt, List<FunctionInfo> functions) throws Rejected {
    List<FunctionInfo> local = new ArrayList<>();
    for (FunctionInfo f : functions) {
      if (f.jarUri().isPresent() && StoredResources.isReference(f.jarUri().get().trim())) {
        try {
          File jar = rt.resources.local(ctx.workspace(), f.jarUri().get());
          local.add(new FunctionInfo(f.name(), f.className(), Optional.of(jar.toURI().toString())));
        } catch (java.io.IOException e) {
          throw new Rejected("function '" + f.name() + "': " + e.getMessage());
        }
      } else {
        local.add(f);
      }
    }
    return local;
  }

  /** The uploaded resources the script's {@code ADD JAR} statements name, for deploy checks. */
  static List<String> addedResources(TaskConfig config) {
    List<String> refs = new ArrayList<>();
    for (SqlSyntax.Parsed p :
        SqlSyntax.check(config.requireString(FlinkOptions.SQL)).statements()) {
      if (p.node() instanceof SqlAddJar j && StoredResources.isReference(j.getPath().trim())) {
        refs.add(j.getPath().trim());
      }
    }
    return refs;
  }

  @Override
  public Optional<JobGraph> compile(
      TaskContext ctx, FlinkRuntime rt, Configuration conf, JobID id, String mark)
      throws Rejected, Exception {
    return plan(ctx, rt, conf, id, mark).compiled().jobGraph();
  }

  /**
   * In a YARN application cluster the script is checked and planned here as for the other targets
   * (errors fail the task before anything is deployed), then {@link SqlApplicationDriver} runs it
   * again in the cluster: the application's user jar is a driver jar with the script, catalogs and
   * functions; the jars of {@code ADD JAR} statements are shipped with the application.
   */
  @Override
  public Prepared application(TaskContext ctx, FlinkRuntime rt, Configuration conf, JobID id)
      throws Rejected, Exception {
    Planned planned = plan(ctx, rt, conf, id, "");
    if (planned.compiled().jobGraph().isEmpty()) {
      return Prepared.NOTHING;
    }
    // the jars of ADD JAR and of the functions are fetched here and shipped with the application:
    // on the class path of the JobManager (where the driver plans) and of the TaskManagers
    Map<Integer, String> shipped = new TreeMap<>();
    List<File> ship = new ArrayList<>();
    for (int i = 0; i < planned.statements().size(); i++) {
      if (planned.statements().get(i).node() instanceof SqlAddJar j) {
        File local = rt.resources.local(ctx.workspace(), j.getPath());
        ship.add(local);
        shipped.put(i, local.getName());
      }
    }
    List<FunctionInfo> functions = new ArrayList<>();
    for (FunctionInfo f : planned.functions()) {
      if (f.jarUri().isPresent()) {
        ship.add(rt.resources.local(ctx.workspace(), f.jarUri().get()));
      }
      functions.add(new FunctionInfo(f.name(), f.className(), Optional.empty()));
    }
    YarnClusters.ship(conf, ship);
    Path jar =
        SqlApplicationJar.write(
            rt.settings.cacheDir().resolve("sql-applications"),
            id,
            planned.statements(),
            conf.get(ExecutionOptions.RUNTIME_MODE) == RuntimeExecutionMode.BATCH,
            planned.catalogs(),
            functions,
            shipped);
    conf.set(PipelineOptions.JARS, List.of(jar.toUri().toString()));
    return Prepared.program(
        new ApplicationConfiguration(new String[0], SqlApplicationDriver.class.getName()),
        List.of(jar));
  }
}
