package io.flinkplatform.tasks.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TriggerRequest;
import io.flinkplatform.engine.testing.TestPlatforms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shell plugin driven by a real platform on the real database. */
class ShellPlatformTest {
  private static TestPlatforms platforms;
  private static PlatformClient client;

  @BeforeAll
  static void start() {
    platforms = new TestPlatforms();
    client = platforms.start("shell", b -> b.plugin(new ShellTaskPlugin())).client();
  }

  @AfterAll
  static void stop() {
    platforms.close();
  }

  @Test
  void outputsFlowDownstreamAndHostileParametersStayData(@TempDir Path dir) throws Exception {
    Path marker = dir.resolve("pwned");
    String hostile =
        "x'; touch " + marker + "; echo `touch " + marker + "` $(touch " + marker + ")";
    client.deploy(
        Workflow.builder("shell_flow")
            .parameter("day", "2024-01-01")
            .task(
                "extract",
                "shell",
                t ->
                    t.option(
                        "command",
                        "echo \"day=$day\"; echo '##output rows=21'; echo \"##output echo=$day\""))
            .task(
                "load",
                "shell",
                t ->
                    t.option(
                            "args",
                            List.of(
                                "/bin/sh",
                                "-c",
                                "echo \"##output doubled=$((UPSTREAM_EXTRACT_ROWS * 2))\";"
                                    + " printf '%s' \"$UPSTREAM_EXTRACT_ECHO\" > echoed"))
                        .option("workingDirectory", dir.toString())
                        .after("extract"))
            .build());

    long run =
        client.trigger(TriggerRequest.of("shell_flow").withParameters(Map.of("day", hostile)));

    assertThat(client.awaitRun(run, Duration.ofSeconds(60)).state()).isEqualTo(RunState.SUCCESS);
    List<TaskAttempt> attempts = client.attempts(run);
    assertThat(attempts.get(0).outputs())
        .containsEntry("rows", "21")
        .containsEntry("echo", hostile);
    assertThat(attempts.get(1).outputs()).containsEntry("doubled", "42");
    assertThat(Files.readString(dir.resolve("echoed"))).isEqualTo(hostile);
    assertThat(client.log(attempts.get(0))).contains("day=" + hostile);
    assertThat(marker).doesNotExist();
    try (Connection c = platforms.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t_shell_process")) {
      rs.next();
      assertThat(rs.getLong(1)).as("records of ended attempts are removed").isZero();
    }
  }
}
