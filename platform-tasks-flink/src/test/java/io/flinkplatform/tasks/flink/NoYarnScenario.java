package io.flinkplatform.tasks.flink;

import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.testing.TestDatabase;
import io.flinkplatform.engine.testing.TestPlatforms;
import java.time.Duration;

/**
 * Run by {@link WithoutFlinkYarnTest} inside a class loader without flink-yarn: a platform with the
 * plugin on {@code jdbcUrl} runs a DDL-only local task and a YARN task, and reports how they ended.
 */
public final class NoYarnScenario {
  private NoYarnScenario() {}

  public static String run(String jdbcUrl) {
    // DriverManager only offers drivers of the class loader that registered them first: name it
    try (var ds =
        TestDatabase.pool(jdbcUrl, c -> c.setDriverClassName("com.mysql.cj.jdbc.Driver"))) {
      Platform p =
          TestPlatforms.builder(ds, "no-yarn")
              .plugin(new FlinkTaskPlugin())
              .pluginSetting("flink.poll-interval", "200ms")
              .build()
              .start();
      try {
        PlatformClient c = p.client();
        String ddl = "CREATE TABLE x (id BIGINT) WITH ('connector' = 'blackhole')";
        c.deploy(
            Workflow.builder("no_yarn")
                .task("local", "flink_sql", t -> t.option("sql", ddl))
                .task(
                    "yarn",
                    "flink_sql",
                    t -> t.option("sql", ddl).option("target", "yarn-application"))
                .build());
        long run = c.trigger("no_yarn");
        c.awaitRun(run, Duration.ofSeconds(90));
        StringBuilder report = new StringBuilder();
        for (TaskAttempt a : c.attempts(run)) {
          report
              .append(a.taskId())
              .append(": ")
              .append(a.state())
              .append(" ")
              .append(a.message().orElse(""))
              .append('\n');
        }
        return report.toString();
      } finally {
        p.stop();
      }
    }
  }
}
