package io.flinkplatform.tasks.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.LogChunk;
import io.flinkplatform.engine.run.LogRange;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A sql task's log is capped by the platform's maxTaskLogSize, like every task's. */
class SqlLogCapTest {

  @Test
  void theRowsOfABigResultStopAtTheCapAndTheLogSaysSo() throws Exception {
    try (SqlTestPlatform sql = new SqlTestPlatform(b -> b.maxTaskLogSize(4096))) {
      SqlTestPlatform.MariaDbTarget target = SqlTestPlatform.mariaDb();
      sql.registry()
          .create(
              DatasourceSpec.builder("wh", DatasourceType.MYSQL, target.url())
                  .user("root")
                  .password(Password.of("platform-S3cret"))
                  .build());
      PlatformClient client = sql.platform.client();
      // 500 rows of about 110 bytes each: some 55 KB of log without the cap
      client.deploy(
          Workflow.builder("sql_big_log")
              .task(
                  "rows",
                  "sql",
                  t ->
                      t.option("datasource", "wh")
                          .option(
                              "script",
                              "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
                                  + " WHERE i < 500) SELECT i, REPEAT('x', 100) AS v FROM n"))
              .build());
      long run = client.trigger("sql_big_log");

      assertThat(client.awaitRun(run, Duration.ofSeconds(60)).state()).isEqualTo(RunState.SUCCESS);
      TaskAttempt attempt = client.attempts(run).get(0);
      LogChunk log = client.log(attempt.id(), LogRange.tail(LogRange.MAX_BYTES));
      assertThat(log.size()).isLessThan(4096 + 300);
      assertThat(log.text())
          .contains("[sql] columns: i | v")
          .contains(
              "[platform] the log reached maxTaskLogSize (4096 bytes); further lines are not"
                  + " written")
          .containsPattern("\\[platform\\] \\d+ line\\(s\\), \\d+ bytes, were not written")
          .doesNotContain("500 | ");
    }
  }
}
