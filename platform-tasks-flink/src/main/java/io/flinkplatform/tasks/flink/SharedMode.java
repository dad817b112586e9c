package io.flinkplatform.tasks.flink;

import io.flinkplatform.spi.TaskConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.sql.parser.ddl.SqlAddJar;
import org.apache.flink.sql.parser.ddl.SqlCreateFunction;

/**
 * What shared mode ({@code PluginContext.sharedMode()}, docs/security.md) refuses in a Flink task:
 * everything that would run user code inside the platform's JVM.
 *
 * <ul>
 *   <li>the {@code local} target: the job's operators (user functions included) run in the
 *       platform's in-JVM MiniCluster;
 *   <li>{@code flink_jar} on any target but {@code yarn-application}: the local, session and
 *       per-job targets build the job graph by running the jar's main here ({@link JarCompiler});
 *   <li>in {@code flink_sql}: {@code ADD JAR}, {@code CREATE FUNCTION ... USING JAR} and functions
 *       of {@code t_flink_function} that have a jar: the script is planned here on every target
 *       (the platform's own planner, which counts as platform code), and planning loads the
 *       functions' classes, which would run a user jar's code in this JVM.
 * </ul>
 *
 * Checked at deploy ({@link #problems}) and again before anything is submitted ({@link
 * #targetRefusal}, {@link #statementRefusal}, {@link #functionRefusal}), since the plugin's default
 * target may have changed in between.
 */
final class SharedMode {
  private SharedMode() {}

  /** The shared-mode problems of a task's options, as of deploy. */
  static List<String> problems(
      String type, TaskConfig config, Target defaultTarget, List<SqlSyntax.Parsed> statements) {
    List<String> problems = new ArrayList<>();
    targetRefusal(type, config, defaultTarget).ifPresent(problems::add);
    for (SqlSyntax.Parsed p : statements) {
      statementRefusal(p).ifPresent(problems::add);
    }
    return problems;
  }

  /** Why the task's target is refused in shared mode, if it is. */
  static Optional<String> targetRefusal(String type, TaskConfig config, Target defaultTarget) {
    Optional<String> option = config.string(FlinkOptions.TARGET);
    Target target;
    try {
      target = option.map(Target::of).orElse(defaultTarget);
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // the option's own check reports it
    }
    String allowed =
        FlinkTaskType.JAR.equals(type)
            ? "shared mode allows only 'yarn-application', where the jar's main runs in the cluster"
            : "shared mode allows 'session', 'yarn-application' or 'yarn-per-job'";
    String named =
        option.isPresent()
            ? "option 'target': '" + target.id() + "'"
            : "option 'target' is not set and the plugin's default target (flink.target) is '"
                + target.id()
                + "':";
    if (target == Target.LOCAL) {
      return Optional.of(
          named
              + " runs the job in the platform's JVM (an in-JVM MiniCluster), refused in shared"
              + " mode; "
              + allowed);
    }
    if (FlinkTaskType.JAR.equals(type) && target != Target.YARN_APPLICATION) {
      return Optional.of(
          named
              + " builds the job graph by running the jar's main in the platform's JVM, refused in"
              + " shared mode; "
              + allowed);
    }
    return Optional.empty();
  }

  /** Why a statement of a {@code flink_sql} script is refused in shared mode, if it is. */
  static Optional<String> statementRefusal(SqlSyntax.Parsed p) {
    String at = "option 'sql', " + p.statement().toScript(1, 1) + ": ";
    if (p.node() instanceof SqlAddJar) {
      return Optional.of(
          at
              + "ADD JAR loads a user jar into the platform's JVM while the script is planned,"
              + " refused in shared mode; put the classes on the platform's class path instead");
    }
    if (p.node() instanceof SqlCreateFunction f && !f.getResourceInfos().isEmpty()) {
      return Optional.of(
          at
              + "CREATE FUNCTION ... USING JAR loads a user jar into the platform's JVM while the"
              + " script is planned, refused in shared mode; use a function whose class is on the"
              + " platform's class path");
    }
    return Optional.empty();
  }

  /** Why a function of {@code t_flink_function} is refused in shared mode, if it is. */
  static Optional<String> functionRefusal(FunctionInfo f) {
    return f.jarUri()
        .map(
            jar ->
                "option 'functions': function '"
                    + f.name()
                    + "' comes from a jar, which planning would load into the platform's JVM,"
                    + " refused in shared mode; use functions whose classes are on the platform's"
                    + " class path");
  }
}
