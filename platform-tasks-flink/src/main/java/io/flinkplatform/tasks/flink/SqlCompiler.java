package io.flinkplatform.tasks.flink;

import io.flinkplatform.tasks.flink.SqlScript.Position;
import io.flinkplatform.tasks.flink.SqlSyntax.Kind;
import io.flinkplatform.tasks.flink.SqlSyntax.Parsed;
import io.flinkplatform.tasks.flink.SqlSyntax.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.sql.parser.ddl.SqlAddJar;
import org.apache.flink.sql.parser.ddl.SqlReset;
import org.apache.flink.sql.parser.ddl.SqlSet;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.StatementSet;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.catalog.CatalogDescriptor;
import org.apache.flink.table.resource.ResourceType;
import org.apache.flink.table.resource.ResourceUri;

/**
 * The planning phase: runs a checked script against a table environment with the task's catalogs
 * and functions, and turns its one job into a job graph without submitting anything. Planning
 * problems name the script's line and column.
 */
final class SqlCompiler {
  private static final Pattern POSITION = Pattern.compile("line (\\d+), column (\\d+)");

  /** What the script amounts to: a job graph, or nothing to run (a script of DDL only). */
  record Compiled(Optional<JobGraph> jobGraph, Configuration configuration) {}

  /** The script cannot be planned; every problem found so far, with its position. */
  static final class PlanningException extends Exception {
    private final List<Problem> problems;

    PlanningException(List<Problem> problems) {
      super(
          "the SQL script is not valid: "
              + String.join("; ", problems.stream().map(Problem::toString).toList()));
      this.problems = List.copyOf(problems);
    }

    List<Problem> problems() {
      return problems;
    }
  }

  /** Turns a jar URI of the resource store into a local path Flink can read. */
  @FunctionalInterface
  interface Localizer {
    String local(String uri) throws java.io.IOException;
  }

  private SqlCompiler() {}

  static Compiled compile(
      List<Parsed> statements,
      Configuration conf,
      JobID jobId,
      String mark,
      ConfKeys keys,
      List<CatalogInfo> catalogs,
      List<FunctionInfo> functions,
      ClassLoader classLoader,
      Localizer jars)
      throws PlanningException, Exception {
    PipelineCapture capture = new PipelineCapture();
    StreamExecutionEnvironment env =
        new StreamExecutionEnvironment(capture, PipelineCapture.target(conf), classLoader);
    EnvironmentSettings.Builder settings =
        EnvironmentSettings.newInstance().withConfiguration(conf).withClassLoader(classLoader);
    if (conf.get(ExecutionOptions.RUNTIME_MODE) == RuntimeExecutionMode.BATCH) {
      settings.inBatchMode();
    } else {
      settings.inStreamingMode();
    }
    List<Problem> refused = refusedSets(statements, keys);
    if (!refused.isEmpty()) {
      throw new PlanningException(refused);
    }
    StreamTableEnvironment tEnv = StreamTableEnvironment.create(env, settings.build());
    register(tEnv, catalogs, functions);
    StatementSet set = null;
    for (Parsed p : statements) {
      try {
        if (p.kind() == Kind.BEGIN_SET) {
          set = tEnv.createStatementSet();
        } else if (p.kind() == Kind.END_SET) {
          set.execute();
          set = null;
        } else if (set != null) {
          set.addInsertSql(p.statement().text());
        } else if (p.node() instanceof SqlSet s) {
          tEnv.getConfig().getConfiguration().setString(s.getKeyString(), s.getValueString());
        } else if (p.node() instanceof SqlReset r) {
          reset(tEnv, conf, r.getKeyString());
        } else if (p.node() instanceof SqlAddJar j) {
          String local = jars.local(j.getPath());
          tEnv.executeSql("ADD JAR '" + local.replace("'", "''") + "'");
        } else {
          tEnv.executeSql(p.statement().text());
        }
      } catch (RuntimeException | java.io.IOException e) {
        throw new PlanningException(List.of(locate(p, e)));
      }
    }
    Configuration effective = new Configuration(conf);
    effective.addAll(tEnv.getConfig().getConfiguration());
    if (!capture.captured()) {
      return new Compiled(Optional.empty(), effective);
    }
    return new Compiled(Optional.of(capture.jobGraph(effective, jobId, mark)), effective);
  }

  /** The {@code SET} statements of a script whose key {@link ConfKeys} refuses. */
  static List<Problem> refusedSets(List<Parsed> statements, ConfKeys keys) {
    List<Problem> out = new ArrayList<>();
    for (Parsed p : statements) {
      if (p.node() instanceof SqlSet s && s.getKeyString() != null) {
        keys.refusal(s.getKeyString())
            .ifPresent(
                r ->
                    out.add(
                        new Problem(
                            new Position(p.statement().line(), p.statement().column()),
                            "SET " + r)));
      }
    }
    return out;
  }

  /** {@code RESET key} goes back to the task's layered value; {@code RESET} resets every SET. */
  private static void reset(StreamTableEnvironment tEnv, Configuration conf, String key) {
    Configuration table = tEnv.getConfig().getConfiguration();
    for (String k : key == null ? table.keySet() : java.util.Set.of(key)) {
      table.removeKey(k);
      conf.getOptional(
              org.apache.flink.configuration.ConfigOptions.key(k).stringType().noDefaultValue())
          .ifPresent(v -> table.setString(k, v));
    }
  }

  private static void register(
      StreamTableEnvironment tEnv, List<CatalogInfo> catalogs, List<FunctionInfo> functions)
      throws PlanningException {
    List<Problem> problems = new ArrayList<>();
    Position start = new Position(1, 1);
    for (CatalogInfo c : catalogs) {
      try {
        Configuration options = Configuration.fromMap(c.options());
        options.setString("type", c.type());
        c.defaultDatabase().ifPresent(db -> options.setString("default-database", db));
        tEnv.createCatalog(c.name(), CatalogDescriptor.of(c.name(), options));
      } catch (RuntimeException e) {
        problems.add(
            new Problem(
                start,
                "catalog '"
                    + c.name()
                    + "' (type "
                    + c.type()
                    + ") cannot be registered: "
                    + SqlSyntax.firstLine(e.getMessage())));
      }
    }
    for (FunctionInfo f : functions) {
      try {
        List<ResourceUri> jars =
            f.jarUri()
                .map(uri -> List.of(new ResourceUri(ResourceType.JAR, uri)))
                .orElse(List.of());
        tEnv.createTemporarySystemFunction(f.name(), f.className(), jars);
      } catch (RuntimeException e) {
        problems.add(
            new Problem(
                start,
                "function '"
                    + f.name()
                    + "' ("
                    + f.className()
                    + ") cannot be registered: "
                    + SqlSyntax.firstLine(e.getMessage())));
      }
    }
    if (!problems.isEmpty()) {
      throw new PlanningException(problems);
    }
  }

  /** The script position of a planning error, from the innermost message that names one. */
  private static Problem locate(Parsed p, Throwable e) {
    String top = SqlSyntax.firstLine(e.getMessage());
    Position at = p.statement().toScript(1, 1);
    for (Throwable t = e; t != null; t = t.getCause()) {
      Matcher m = POSITION.matcher(String.valueOf(t.getMessage()));
      if (m.find()) {
        at = p.statement().toScript(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        top = SqlSyntax.withoutPosition(top);
        if (top.endsWith("failed.") || top.isEmpty()) {
          top = top + " " + SqlSyntax.withoutPosition(t.getMessage());
        }
        break;
      }
    }
    if (top.length() < 20 && e.getCause() != null) {
      top = top + ": " + SqlSyntax.withoutPosition(e.getCause().getMessage());
    }
    return new Problem(at, top.trim());
  }
}
