package io.flinkplatform.tasks.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.testing.TestTaskContext;
import io.flinkplatform.spi.TaskConfig;
import io.flinkplatform.spi.TaskOutcome;
import io.flinkplatform.spi.TaskOutcome.Success;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parameters reach the process as data, unless a script splices one by name. */
class ShellParametersTest {
  @TempDir Path tmp;

  private static TaskOutcome run(TestTaskContext context) {
    return new ShellTaskType().execute(context);
  }

  @Test
  void hostileParameterValuesRunAsData() throws Exception {
    Path marker = tmp.resolve("pwned");
    List<String> payloads =
        List.of(
            "$(touch " + marker + ")",
            "`touch " + marker + "`",
            "x; touch " + marker,
            "x' ; touch " + marker + " ; '",
            "x\" ; touch " + marker + " ; \"",
            "x && touch " + marker + " || touch " + marker,
            "x\ntouch " + marker,
            "$((1+1)) ${HOME} * ?",
            "x | touch " + marker + " > /dev/null");
    for (String payload : payloads) {
      TestTaskContext script =
          TestTaskContext.of(
                  Map.of(
                      "command",
                      "printf '%s' \"$P\" > out.txt; echo \"len=${#P}\"",
                      "workingDirectory",
                      tmp.toString()),
                  new ShellTaskType().options())
              .parameters(Map.of("P", payload));
      TestTaskContext argv =
          TestTaskContext.of(
                  Map.of(
                      "args",
                      List.of("/bin/sh", "-c", "printf '%s' \"$P\" > out2.txt"),
                      "workingDirectory",
                      tmp.toString()),
                  new ShellTaskType().options())
              .parameters(Map.of("P", payload));

      assertThat(run(script)).as(payload).isInstanceOf(Success.class);
      assertThat(run(argv)).as(payload).isInstanceOf(Success.class);

      assertThat(Files.readString(tmp.resolve("out.txt"))).as(payload).isEqualTo(payload);
      assertThat(Files.readString(tmp.resolve("out2.txt"))).as(payload).isEqualTo(payload);
      assertThat(script.memoryLog().lines()).contains("len=" + payload.length());
      assertThat(marker).as(payload).doesNotExist();
    }
  }

  @Test
  void rawSplicingHappensOnlyByNameAndIsLogged() throws Exception {
    TestTaskContext context =
        TestTaskContext.of(
                Map.of(
                    "command",
                    "ls ${raw:dir} | wc -l; echo \"${table}\"",
                    "rawParameters",
                    List.of("dir")),
                new ShellTaskType().options())
            .parameters(Map.of("dir", tmp.toString(), "table", "${raw:dir}"));
    Files.writeString(tmp.resolve("a"), "");
    Files.writeString(tmp.resolve("b"), "");

    assertThat(run(context)).isInstanceOf(Success.class);

    assertThat(context.memoryLog().lines())
        .contains("[shell] spliced raw parameters into the command: [dir]", "2", "${raw:dir}");
  }

  @Test
  void aRawParameterThatIsNotDefinedFailsFatallyWithoutRunning() throws Exception {
    Path marker = tmp.resolve("ran");
    TaskOutcome outcome =
        run(
            TestTaskContext.of(
                    Map.of(
                        "command",
                        "touch " + marker + " ${raw:missing}",
                        "rawParameters",
                        List.of("missing")),
                    new ShellTaskType().options())
                .parameters(Map.of("day", "1", "b", "2")));

    assertThat(outcome)
        .isEqualTo(
            TaskOutcome.fatal(
                "parameter 'missing' is used as ${raw:missing} but not defined; defined"
                    + " parameters and upstream outputs: [b, day]"));
    assertThat(marker).doesNotExist();
  }

  @Test
  void malformedRawPlaceholdersAreRejectedAtDeployTime() {
    ShellTaskType type = new ShellTaskType();

    List<String> problems =
        type.validate(
            TaskConfig.of(
                Map.of("args", List.of("echo", "${raw:}", "${raw:a b}")), type.options()));

    assertThat(problems)
        .containsExactly(
            "'args' holds '${raw:}'; a raw parameter is written ${raw:name}, the name made of"
                + " letters, digits, '_', '.' and '-'",
            "'args' holds '${raw:a b}'; a raw parameter is written ${raw:name}, the name made of"
                + " letters, digits, '_', '.' and '-'");
  }

  @Test
  void aRawSpliceNeedsItsNameListedInRawParameters() {
    ShellTaskType type = new ShellTaskType();

    List<String> refused =
        type.validate(
            TaskConfig.of(
                Map.of("command", "psql -c 'select * from ${raw:extract.table}'"), type.options()));
    List<String> listed =
        type.validate(
            TaskConfig.of(
                Map.of(
                    "command",
                    "psql -c 'select * from ${raw:extract.table}'",
                    "rawParameters",
                    List.of("extract.table")),
                type.options()));

    assertThat(refused)
        .containsExactly(
            "'command' splices ${raw:extract.table} but option 'rawParameters' does not list"
                + " 'extract.table'; list it there to let its value become part of the command");
    assertThat(listed).isEmpty();
  }

  @Test
  void aListedUpstreamOutputIsSplicedAndAnUnlistedNameIsRefusedAtRunTime(@TempDir Path tmp)
      throws Exception {
    Path marker = tmp.resolve("marker");
    TestTaskContext listed =
        TestTaskContext.of(
                Map.of(
                    "command",
                    "echo \"table=${raw:extract.table}\"",
                    "rawParameters",
                    List.of("extract.table")),
                new ShellTaskType().options())
            .upstream(Map.of("extract", Map.of("table", "orders")));
    // a definition stored before the rule: deploy would refuse it, the run refuses it too
    TestTaskContext unlisted =
        TestTaskContext.of(
                Map.of("command", "echo ${raw:extract.table}; touch " + marker),
                new ShellTaskType().options())
            .upstream(Map.of("extract", Map.of("table", "x; touch " + marker)));

    assertThat(run(listed)).isInstanceOf(Success.class);
    assertThat(listed.memoryLog().lines()).contains("table=orders");
    assertThat(run(unlisted))
        .isInstanceOfSatisfying(
            TaskOutcome.Failure.class,
            f -> {
              assertThat(f.retryable()).isFalse();
              assertThat(f.message())
                  .contains("option 'rawParameters' does not list 'extract.table'");
            });
    assertThat(marker).doesNotExist();
  }
}
