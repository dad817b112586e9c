package io.flinkplatform.tasks.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.WorkflowValidationException;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.testing.TestPlatforms;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Shared mode ({@code Platform.builder().sharedMode(true)}): no user code in the platform's JVM.
 * The local target, in-JVM {@code flink_jar} builds and user jars in SQL are refused at deploy, and
 * again at run time for workflows deployed before shared mode was on, with nothing submitted.
 */
class SharedModeTest {
  static final String SQL =
      LocalTargetTest.SOURCE + "INSERT INTO sink SELECT id, name FROM src WHERE id > 10;";

  TestPlatforms platforms;

  @BeforeEach
  void open() {
    platforms = new TestPlatforms();
  }

  @AfterEach
  void close() {
    platforms.close();
  }

  private Platform start(String name, boolean shared, FlinkTaskPlugin plugin) {
    return platforms.start(
        name,
        b ->
            b.plugin(plugin)
                .sharedMode(shared)
                .pluginSetting("flink.target", "local")
                .pluginSetting("flink.poll-interval", "200ms")
                // a session cluster nobody listens at: nothing may reach it in shared mode
                .pluginSetting("flink.conf.rest.address", "127.0.0.1")
                .pluginSetting("flink.conf.rest.port", "1"));
  }

  static Workflow sql(String name, String target, String script) {
    return Workflow.builder(name)
        .task(
            "t",
            "flink_sql",
            t -> {
              t.option("sql", script);
              if (target != null) {
                t.option("target", target);
              }
            })
        .build();
  }

  static Workflow jar(String name, String target) {
    Consumer<Workflow.TaskSpec> options =
        t -> {
          t.option("jar", "file:///opt/jobs/wordcount.jar");
          t.option("target", target);
        };
    return Workflow.builder(name).task("t", "flink_jar", options::accept).build();
  }

  /** The workflows shared mode refuses, each with the words its problem must contain. */
  static List<Object[]> refused() {
    return List.of(
        new Object[] {sql("sql_local", "local", SQL), "option 'target': 'local'"},
        new Object[] {
          sql("sql_default_local", null, SQL), "option 'target' is not set", "flink.target"
        },
        new Object[] {jar("jar_local", "local"), "option 'target': 'local'"},
        new Object[] {
          jar("jar_session", "session"), "option 'target': 'session'", "running the jar's main"
        },
        new Object[] {jar("jar_per_job", "yarn-per-job"), "option 'target': 'yarn-per-job'"},
        new Object[] {
          sql("sql_add_jar", "session", "ADD JAR 'file:///opt/udf.jar';\n" + SQL),
          "option 'sql', line 1, column 1: ADD JAR"
        },
        new Object[] {
          sql(
              "sql_function_jar",
              "session",
              "CREATE FUNCTION f AS 'com.example.F' USING JAR 'file:///opt/udf.jar';\n" + SQL),
          "USING JAR"
        });
  }

  @Test
  void sharedModeRefusesInJvmUserCodeAtDeployNamingTheOption() {
    PlatformClient shared = start("shared", true, new FlinkTaskPlugin()).client();
    for (Object[] r : refused()) {
      Workflow w = (Workflow) r[0];
      assertThatThrownBy(() -> shared.deploy(w))
          .as(w.name())
          .isInstanceOfSatisfying(
              WorkflowValidationException.class,
              e -> {
                assertThat(e.problems()).as(w.name()).hasSize(1);
                for (int i = 1; i < r.length; i++) {
                  assertThat(e.problems().get(0)).as(w.name()).contains((String) r[i]);
                }
                assertThat(e.problems().get(0)).contains("shared mode");
              });
      assertThat(shared.workflow(w.name())).as(w.name() + ": not stored").isEmpty();
    }
    // what shared mode allows: SQL planned by the platform on a remote cluster, a jar on YARN
    shared.deploy(sql("sql_session", "session", SQL));
    shared.deploy(sql("sql_yarn", "yarn-application", SQL));
    shared.deploy(jar("jar_yarn", "yarn-application"));
  }

  @Test
  void withoutSharedModeTheSameWorkflowsDeploy() {
    PlatformClient open = start("open", false, new FlinkTaskPlugin()).client();
    for (Object[] r : refused()) {
      Workflow w = (Workflow) r[0];
      assertThat(open.deploy(w).version()).as(w.name()).isEqualTo(1);
    }
  }

  @Test
  void workflowsDeployedBeforeSharedModeFailAtRunTimeWithNothingSubmitted() {
    Platform before = start("before", false, new FlinkTaskPlugin());
    before.client().deploy(sql("sql_local", "local", SQL));
    before.client().deploy(jar("jar_session", "session"));
    before.client().deploy(sql("sql_add_jar", "session", "ADD JAR 'file:///opt/udf.jar';\n" + SQL));
    before.stop();

    FlinkTaskPlugin plugin = new FlinkTaskPlugin();
    PlatformClient client = start("after", true, plugin).client();
    // a function from a jar, named by a task: the table may change after a deploy, so run time
    plugin
        .jobs()
        .putFunction(
            new FunctionInfo("jar_udf", "com.example.Udf", Optional.of("file:///opt/udf.jar")));
    Workflow udf =
        Workflow.builder("sql_jar_function")
            .task(
                "t",
                "flink_sql",
                t ->
                    t.option("sql", SQL)
                        .option("target", "session")
                        .option("functions", List.of("jar_udf")))
            .build();
    client.deploy(udf);
    for (String[] c :
        new String[][] {
          {"sql_local", "option 'target': 'local'"},
          {"jar_session", "option 'target': 'session'"},
          {"sql_add_jar", "ADD JAR"},
          {"sql_jar_function", "option 'functions': function 'jar_udf' comes from a jar"}
        }) {
      long run = client.trigger(c[0]);
      assertThat(client.awaitRun(run, Duration.ofSeconds(60)).state())
          .as(c[0])
          .isEqualTo(RunState.FAILED);
      List<TaskAttempt> attempts = client.attempts(run);
      assertThat(attempts).as(c[0]).hasSize(1); // fatal: no retry
      TaskAttempt a = attempts.get(0);
      assertThat(a.state()).isEqualTo(TaskState.FAILED);
      assertThat(a.message().orElseThrow()).contains(c[1]).contains("shared mode");
      assertThat(plugin.jobs().job(a.id())).as(c[0] + ": nothing submitted").isEmpty();
    }
    // the in-JVM MiniCluster was never started
    assertThat(plugin.runtime().clusters.localStarted()).isFalse();
  }
}
