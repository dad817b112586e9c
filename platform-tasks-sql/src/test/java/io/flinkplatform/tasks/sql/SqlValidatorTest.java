package io.flinkplatform.tasks.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.testing.TestTaskContext;
import io.flinkplatform.spi.RawParameters;
import io.flinkplatform.spi.TaskConfig;
import io.flinkplatform.spi.TaskOutcome;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Deploy-time checks of {@code sql} options. */
class SqlValidatorTest {
  private static List<String> validate(Map<String, ?> raw, Optional<Dialect> datasourceDialect) {
    return SqlValidator.validate(TaskConfig.of(raw, SqlOptions.DECLARED), datasourceDialect);
  }

  @Test
  void acceptsAGoodConfig() {
    assertThat(
            validate(
                Map.of(
                    "datasource", "wh",
                    "script", "select ${a}; -- done",
                    "rowLimit", 5,
                    "outputRows", 5,
                    "queryTimeout", "30s",
                    "dialect", "MYSQL"),
                Optional.empty()))
        .isEmpty();
  }

  @Test
  void reportsEveryProblemAtOnce() {
    assertThat(
            validate(
                Map.of(
                    "datasource", "wh",
                    "script", "select ${raw:a b}, 'x",
                    "rowLimit", 200_000,
                    "outputRows", -1,
                    "queryTimeout", "0s",
                    "dialect", "ANSI"),
                Optional.empty()))
        .containsExactly(
            "'script' holds '${raw:a b}'; a raw parameter is written ${raw:name}, the name made of"
                + " letters, digits, '_', '.' and '-'",
            "'rowLimit' must be from 1 to 100000 but is 200000",
            "'outputRows' must be from 0 to 100 and at most 'rowLimit' but is -1",
            "'queryTimeout' must be positive",
            "'script': line 1: unterminated string literal '...");
  }

  @Test
  void theScriptIsSplitWithTheDatasourcesDialectWhenNoneIsGiven() {
    Map<String, String> hashComment = Map.of("datasource", "wh", "script", "# don't\nselect 1");

    assertThat(validate(hashComment, Optional.of(Dialect.MYSQL))).isEmpty();
    assertThat(validate(hashComment, Optional.of(Dialect.POSTGRESQL)))
        .containsExactly("'script': line 1: unterminated string literal '...");
    assertThat(validate(hashComment, Optional.empty())).isEmpty(); // checked when it runs
    assertThat(
            validate(Map.of("datasource", "wh", "script", "-- nothing"), Optional.of(Dialect.ANSI)))
        .containsExactly("'script' holds no statement, only blanks or comments");
  }

  @Test
  void hiveCannotBindParametersInSet() {
    assertThat(
            validate(
                Map.of("datasource", "h", "script", "SET hivevar:day=${day};\nselect 1"),
                Optional.of(Dialect.HIVE)))
        .containsExactly(
            "'script': statement 1 (line 1) binds ${day} in a SET, which Hive cannot prepare; use"
                + " ${raw:day}");
  }

  @Test
  void withoutAStartedPluginTheTaskFailsClearly() throws Exception {
    TaskOutcome outcome =
        new SqlTaskType()
            .execute(
                TestTaskContext.of(
                    Map.of("datasource", "x", "script", "select 1"), SqlOptions.DECLARED));

    assertThat(outcome)
        .isEqualTo(
            TaskOutcome.failure(
                "the sql plugin is not started on this instance, so its datasources are"
                    + " unavailable"));
  }

  @Test
  void aRawSpliceNeedsItsNameListedInRawParameters() {
    String script = "insert into ${raw:upstream.extract.table} select 1";

    assertThat(validate(Map.of("datasource", "wh", "script", script), Optional.empty()))
        .containsExactly(
            "'script' splices ${raw:upstream.extract.table} but option 'rawParameters' does not"
                + " list 'upstream.extract.table'; list it there to let its value become part of"
                + " the SQL");
    assertThat(
            validate(
                Map.of(
                    "datasource",
                    "wh",
                    "script",
                    script,
                    "rawParameters",
                    List.of("upstream.extract.table")),
                Optional.empty()))
        .isEmpty();
  }

  @Test
  void aParameterCannotStandInForAnUpstreamOutputOrAPlatformValue() {
    TestTaskContext context =
        TestTaskContext.of(Map.of("datasource", "wh", "script", "select 1"), SqlOptions.DECLARED)
            .parameters(Map.of("upstream.extract.table", "evil", "platform.taskId", "evil"))
            .upstream(Map.of("extract", Map.of("table", "orders")));

    Map<String, String> values = SqlParameters.of(context);

    assertThat(values).containsEntry("upstream.extract.table", "orders");
    assertThat(values.get("platform.taskId")).isNotEqualTo("evil");
    assertThat(
            RawParameters.splice(
                "select * from ${raw:upstream.extract.table}",
                TaskConfig.of(
                    Map.of("rawParameters", List.of("upstream.extract.table")),
                    SqlOptions.DECLARED),
                values,
                "parameters"))
        .isEqualTo("select * from orders");
  }
}
