package io.flinkplatform.tasks.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.run.TriggerRequest;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.spi.OptionType;
import io.flinkplatform.spi.TaskOption;
import io.flinkplatform.spi.TaskPlugin;
import io.flinkplatform.spi.TaskType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The sql plugin in a real platform: discovery, deploy-time checks, runs, kill, stop. */
class SqlPlatformTest {

  @Test
  void isFoundByTheServiceLoaderAndDeclaresItsOptions() {
    List<TaskPlugin> plugins =
        ServiceLoader.load(TaskPlugin.class).stream().map(ServiceLoader.Provider::get).toList();

    assertThat(plugins).singleElement().isInstanceOf(SqlTaskPlugin.class);
    TaskType type = plugins.get(0).taskTypes().get(0);
    assertThat(type.id()).isEqualTo("sql");
    Map<String, TaskOption> options =
        type.options().stream().collect(Collectors.toMap(TaskOption::name, Function.identity()));
    assertThat(options.keySet())
        .containsExactlyInAnyOrder(
            "datasource",
            "script",
            "transaction",
            "queryTimeout",
            "rowLimit",
            "outputRows",
            "dialect",
            "rawParameters");
    assertThat(options.get("dialect").allowedValues())
        .containsExactly("MYSQL", "POSTGRESQL", "HIVE", "CLICKHOUSE", "ANSI");
    assertThat(options.get("queryTimeout").type()).isEqualTo(OptionType.DURATION);
    assertThat(options.get("rawParameters").type()).isEqualTo(OptionType.STRING_LIST);
    assertThat(options.values()).allSatisfy(o -> assertThat(o.description()).isNotBlank());
  }

  @Test
  void runsWorkflowsPassesOutputsDownstreamKillsQueriesAndClosesPoolsOnStop() throws Exception {
    SqlTestPlatform sql = new SqlTestPlatform();
    try {
      SqlTestPlatform.MariaDbTarget target = SqlTestPlatform.mariaDb();
      sql.registry()
          .create(
              DatasourceSpec.builder("wh", DatasourceType.TIDB, target.url())
                  .user("root")
                  .password(Password.of("platform-S3cret"))
                  .build());
      PlatformClient client = sql.platform.client();

      // Deploy-time checks split the script with the datasource's dialect.
      assertThat(
              client.validate(
                  Workflow.builder("broken")
                      .task(
                          "q",
                          "sql",
                          t ->
                              t.option("datasource", "wh")
                                  .option("script", "select 'unterminated")
                                  .option("rowLimit", 0))
                      .build()))
          .anyMatch(p -> p.contains("'rowLimit' must be from 1 to 100000 but is 0"))
          .anyMatch(p -> p.contains("'script': line 1: unterminated string literal '..."));

      client.deploy(
          Workflow.builder("sql_flow")
              .parameter("name", "nobody")
              .task(
                  "make",
                  "sql",
                  t ->
                      t.option("datasource", "wh")
                          .option(
                              "script",
                              "CREATE TABLE people (name VARCHAR(100));\n"
                                  + "INSERT INTO people VALUES (${name}), ('b');\n"
                                  + "SELECT COUNT(*) AS n FROM people"))
              .task(
                  "use",
                  "sql",
                  t ->
                      t.option("datasource", "wh")
                          .option(
                              "script",
                              "SELECT CAST(${upstream.make.n} AS SIGNED) * 10 AS tenfold,"
                                  + " (SELECT name FROM people WHERE name = ${name}) AS found")
                          .after("make"))
              .build());
      String hostile = "'); DROP TABLE people; --";
      long run =
          client.trigger(TriggerRequest.of("sql_flow").withParameters(Map.of("name", hostile)));

      assertThat(client.awaitRun(run, Duration.ofSeconds(60)).state()).isEqualTo(RunState.SUCCESS);
      List<TaskAttempt> attempts = client.attempts(run);
      assertThat(attempts.get(0).outputs()).containsEntry("n", "2");
      assertThat(attempts.get(1).outputs())
          .containsEntry("tenfold", "20")
          .containsEntry("found", hostile);
      assertThat(client.log(attempts.get(0))).doesNotContain("platform-S3cret");

      client.deploy(
          Workflow.builder("sql_slow")
              .task(
                  "sleep",
                  "sql",
                  t -> t.option("datasource", "wh").option("script", "SELECT SLEEP(60)"))
              .build());
      long slow = client.trigger("sql_slow");
      Await.until(
          () ->
              client.attempts(slow).stream().anyMatch(a -> a.state() == TaskState.RUNNING)
                  && !processes(target, "SELECT SLEEP(60)").isEmpty());
      client.kill(slow);
      assertThat(client.awaitRun(slow, Duration.ofSeconds(30)).state()).isEqualTo(RunState.KILLED);
      Await.until(() -> processes(target, "SELECT SLEEP(60)").isEmpty());
    } finally {
      sql.close();
    }
    assertThatThrownBy(sql.plugin::datasources).isInstanceOf(IllegalStateException.class);
    Await.until(
        () ->
            Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("sql-wh")));
  }

  private static List<String> processes(SqlTestPlatform.MariaDbTarget target, String prefix) {
    try (var c = target.root();
        var s =
            c.prepareStatement(
                "SELECT info FROM information_schema.processlist WHERE info LIKE ?")) {
      s.setString(1, prefix + "%");
      try (var rs = s.executeQuery()) {
        List<String> out = new java.util.ArrayList<>();
        while (rs.next()) {
          out.add(rs.getString(1));
        }
        return out;
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
