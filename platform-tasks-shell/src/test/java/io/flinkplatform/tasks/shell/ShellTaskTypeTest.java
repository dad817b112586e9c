package io.flinkplatform.tasks.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.testing.TestTaskContext;
import io.flinkplatform.spi.TaskOutcome;
import io.flinkplatform.spi.TaskOutcome.Failure;
import io.flinkplatform.spi.TaskOutcome.Success;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs real processes through the shell task type. */
class ShellTaskTypeTest {
  @TempDir Path tmp;

  private static TaskOutcome run(TestTaskContext context) throws Exception {
    return new ShellTaskType().execute(context);
  }

  @Test
  void successWithOutputs() throws Exception {
    TestTaskContext context =
        TestTaskContext.of(
            Map.of(
                "command",
                "echo hello\n"
                    + "echo '##output count=3'\n"
                    + "echo '##output url=http://x/?a=b'\n"
                    + "echo '##output count=4'\n"
                    + "echo '##output  spaced = v '\n"
                    + "echo '##output novalue'\n"),
            new ShellTaskType().options());

    TaskOutcome outcome = run(context);

    assertThat(outcome)
        .isEqualTo(
            TaskOutcome.success(Map.of("count", "4", "url", "http://x/?a=b", "spaced", " v ")));
    assertThat(context.memoryLog().lines())
        .contains("hello", "##output count=3", "##output count=4")
        .anyMatch(line -> line.startsWith("[shell] ignored a malformed output line"))
        .contains("[shell] exit code 0");
  }

  @Test
  void failingExitCodeReportsTheOutputTail() throws Exception {
    TestTaskContext context =
        TestTaskContext.of(
            Map.of(
                "command",
                // The pause lets the stdout pump catch up: the two streams are read apart.
                "for i in $(seq 1 30); do echo line-$i; done; sleep 0.3; echo oops >&2; exit 3"),
            new ShellTaskType().options());

    TaskOutcome outcome = run(context);

    assertThat(outcome).isInstanceOf(Failure.class);
    Failure failure = (Failure) outcome;
    assertThat(failure.retryable()).isTrue();
    assertThat(failure.message())
        .startsWith("exit code 3; last output lines:\n")
        .contains("line-30", "[stderr] oops")
        .doesNotContain("line-10\n");
    assertThat(failure.message().lines()).hasSize(21);
    assertThat(context.memoryLog().lines()).contains("line-1", "[stderr] oops");
  }

  @Test
  void failureWithoutOutputSaysSo() throws Exception {
    TaskOutcome outcome =
        run(TestTaskContext.of(Map.of("command", "exit 1"), new ShellTaskType().options()));

    assertThat(outcome).isEqualTo(TaskOutcome.failure("exit code 1; no output"));
  }

  @Test
  void customSuccessExitCodes() throws Exception {
    Map<String, Object> options =
        Map.of("command", "exit 3", "successExitCodes", List.of("0", "3"));
    assertThat(run(TestTaskContext.of(options, new ShellTaskType().options())))
        .isInstanceOf(Success.class);

    Map<String, Object> zeroFails = Map.of("command", "true", "successExitCodes", List.of(" 1 "));
    assertThat(run(TestTaskContext.of(zeroFails, new ShellTaskType().options())))
        .isEqualTo(TaskOutcome.failure("exit code 0; no output"));
  }

  @Test
  void argsRunWithoutAShell() throws Exception {
    TestTaskContext context =
        TestTaskContext.of(
            Map.of("args", List.of("printf", "%s|", "a b", "$HOME", "*", "`id`")),
            new ShellTaskType().options());

    TaskOutcome outcome = run(context);

    assertThat(outcome).isInstanceOf(Success.class);
    assertThat(context.memoryLog().lines()).contains("a b|$HOME|*|`id`|");
  }

  @Test
  void customInterpreter() throws Exception {
    TestTaskContext context =
        TestTaskContext.of(
            Map.of("interpreter", "/bin/sh", "command", "echo \"sh:$0\""),
            new ShellTaskType().options());

    assertThat(run(context)).isInstanceOf(Success.class);
    assertThat(context.memoryLog().lines()).contains("sh:/bin/sh");
  }

  @Test
  void parametersCannotInjectCommands() throws Exception {
    Path marker = tmp.resolve("pwned-XYZ");
    String value = "$(touch " + marker + "); echo hacked";
    TestTaskContext script =
        TestTaskContext.of(
                Map.of("command", "echo \"value=$P\"; echo value=$P"),
                new ShellTaskType().options())
            .parameters(Map.of("P", value));
    TestTaskContext argv =
        TestTaskContext.of(Map.of("args", List.of("printenv", "P")), new ShellTaskType().options())
            .parameters(Map.of("P", value));

    assertThat(run(script)).isInstanceOf(Success.class);
    assertThat(run(argv)).isInstanceOf(Success.class);

    assertThat(script.memoryLog().lines()).contains("value=" + value).doesNotContain("hacked");
    assertThat(argv.memoryLog().lines()).contains(value);
    assertThat(marker).doesNotExist();
  }

  @Test
  void environmentHoldsPlatformVariablesUpstreamOutputsAndEnv() throws Exception {
    TestTaskContext context =
        TestTaskContext.of(
                Map.of(
                    "command",
                    "echo \"$PLATFORM_RUN_ID $PLATFORM_TASK_ID $PLATFORM_ATTEMPT"
                        + " $PLATFORM_FENCING_EPOCH $PLATFORM_LOGICAL_DATE\"\n"
                        + "echo \"up=$UPSTREAM_EXTRACT_DATA_ROW_COUNT mode=$MODE day=$day\"",
                    "env",
                    Map.of("MODE", "from-env", "PLATFORM_RUN_ID", "spoofed")),
                new ShellTaskType().options())
            .parameters(Map.of("MODE", "from-parameter", "day", "2024-05-01"))
            .upstream(Map.of("extract-data", Map.of("row.count", "17")));

    assertThat(run(context)).isInstanceOf(Success.class);

    assertThat(context.memoryLog().lines())
        .contains("42 step-1 2 9 2024-05-01T10:15:30Z", "up=17 mode=from-env day=2024-05-01");
  }

  @Test
  void defaultWorkingDirectoryIsFreshAndDeletedAfterwards() throws Exception {
    TestTaskContext context =
        TestTaskContext.of(Map.of("command", "touch leftover; pwd"), new ShellTaskType().options());

    assertThat(run(context)).isInstanceOf(Success.class);

    Path dir = Path.of(context.memoryLog().lines().get(1));
    assertThat(dir.getFileName().toString()).startsWith("shell-step-1-");
    assertThat(dir).doesNotExist();
  }

  @Test
  void configuredWorkingDirectoryIsUsedAndKept() throws Exception {
    TestTaskContext context =
        TestTaskContext.of(
            Map.of("command", "pwd; echo data > result.txt", "workingDirectory", tmp.toString()),
            new ShellTaskType().options());

    assertThat(run(context)).isInstanceOf(Success.class);

    assertThat(context.memoryLog().lines()).contains(tmp.toRealPath().toString());
    assertThat(tmp.resolve("result.txt")).hasContent("data");
  }

  @Test
  void missingWorkingDirectoryFails() throws Exception {
    Path missing = tmp.resolve("missing");
    TaskOutcome outcome =
        run(
            TestTaskContext.of(
                Map.of("command", "true", "workingDirectory", missing.toString()),
                new ShellTaskType().options()));

    assertThat(outcome)
        .isEqualTo(
            TaskOutcome.failure(
                "could not start the process: working directory "
                    + missing
                    + " is not an existing directory"));
  }

  @Test
  void missingProgramFails() throws Exception {
    TaskOutcome outcome =
        run(
            TestTaskContext.of(
                Map.of("args", List.of("/nonexistent/program")), new ShellTaskType().options()));

    assertThat(outcome).isInstanceOf(Failure.class);
    assertThat(((Failure) outcome).message()).contains("/nonexistent/program");
  }

  @Test
  void invalidOptionsFailFatallyWithoutRunning() throws Exception {
    Path marker = tmp.resolve("ran");
    TaskOutcome outcome =
        run(
            TestTaskContext.of(
                Map.of("command", "touch " + marker, "successExitCodes", List.of("zero")),
                new ShellTaskType().options()));

    assertThat(outcome)
        .isEqualTo(
            TaskOutcome.fatal(
                "invalid options: 'successExitCodes' holds 'zero', which is not an integer from 0"
                    + " to 255"));
    assertThat(marker).doesNotExist();
  }

  @Test
  void largeOutputIsStreamedWithBoundedTail() throws Exception {
    TestTaskContext context =
        TestTaskContext.of(
            Map.of("command", "seq 1 200000; exit 5"), new ShellTaskType().options());

    TaskOutcome outcome = run(context);

    // 200000 output lines plus "started" and "exit code" lines.
    assertThat(context.memoryLog().count()).isEqualTo(200_002);
    assertThat(context.memoryLog().lines().get(1)).isEqualTo("1");
    String message = ((Failure) outcome).message();
    assertThat(message.lines()).hasSize(21);
    assertThat(message).endsWith("\n199999\n200000").contains("\n199981\n");
  }

  @Test
  void overlongLinesArriveInPieces() throws Exception {
    TestTaskContext context =
        TestTaskContext.of(
            Map.of("command", "head -c 200000 /dev/zero | tr '\\0' a; echo; echo end"),
            new ShellTaskType().options());

    assertThat(run(context)).isInstanceOf(Success.class);

    List<String> lines = context.memoryLog().lines();
    assertThat(lines.subList(1, 5))
        .extracting(String::length)
        .containsExactly(65536, 65536, 65536, 200000 - 3 * 65536);
    assertThat(lines).contains("end");
  }

  @Test
  void stdinIsEmpty() throws Exception {
    TestTaskContext context =
        TestTaskContext.of(Map.of("command", "cat; echo done"), new ShellTaskType().options());

    assertThat(run(context)).isInstanceOf(Success.class);
    assertThat(context.memoryLog().lines()).contains("done");
  }
}
