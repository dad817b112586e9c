package io.flinkplatform.tasks.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.testing.TestTaskContext;
import io.flinkplatform.spi.TaskConfig;
import io.flinkplatform.spi.TaskOutcome;
import io.flinkplatform.spi.TaskOutcome.Failure;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-attempt cap on logged output. */
class ShellLogCapTest {

  @Test
  void outputPastTheCapIsReadButNotLogged() throws Exception {
    // 100,000 lines of 7 bytes ("line-N" padded) is far past 16 KiB.
    TestTaskContext context =
        TestTaskContext.of(
            Map.of(
                "command",
                "seq -f 'line-%06g' 1 100000; echo '##output last=yes'; sleep 0.3; echo bye >&2; exit 4",
                "maxLogSize",
                "16KB"),
            new ShellTaskType().options());

    TaskOutcome outcome = new ShellTaskType().execute(context);

    List<String> lines = context.memoryLog().lines();
    long logged = lines.stream().filter(l -> l.startsWith("line-")).count();
    assertThat(logged * 12).isLessThanOrEqualTo(16 * 1024).isGreaterThan(15 * 1024);
    assertThat(lines)
        .contains("[shell] the output reached maxLogSize (16 KiB); further output is not logged")
        .anyMatch(l -> l.matches("\\[shell\\] \\d+ line\\(s\\), .* of output were not logged .*"))
        .doesNotContain("line-100000");
    assertThat(lines.get(lines.size() - 1)).isEqualTo("[shell] exit code 4");
    // The tail still sees the end of the output.
    assertThat(((Failure) outcome).message()).contains("line-100000", "[stderr] bye");
    assertThat(context.memoryLog().count()).isLessThan(2000);
  }

  @Test
  void outputsDeclaredPastTheCapStillCount() throws Exception {
    TestTaskContext context =
        TestTaskContext.of(
            Map.of(
                "command",
                "head -c 5000 /dev/zero | tr '\\0' x; echo; echo '##output n=1'",
                "maxLogSize",
                "1KB"),
            new ShellTaskType().options());

    assertThat(new ShellTaskType().execute(context))
        .isEqualTo(TaskOutcome.success(Map.of("n", "1")));
  }

  @Test
  void sizesParseWithUnitsAndBadOnesAreRejected() {
    assertThat(ByteSize.parse("512")).isEqualTo(512);
    assertThat(ByteSize.parse("64kb")).isEqualTo(64 * 1024);
    assertThat(ByteSize.parse(" 10 MB ")).isEqualTo(10L << 20);
    assertThat(ByteSize.parse("1GB")).isEqualTo(1L << 30);
    assertThat(ByteSize.format(1536)).isEqualTo("1.5 KiB");
    ShellTaskType type = new ShellTaskType();
    assertThat(
            type.validate(
                TaskConfig.of(Map.of("command", "true", "maxLogSize", "lots"), type.options())))
        .containsExactly(
            "'maxLogSize': 'lots' is not a size; use a number of bytes with an optional B, KB, MB"
                + " or GB");
  }

  @Test
  void aSizePastTenGigabytesIsRefusedNamingTheOptionAndTheRange() {
    ShellTaskType type = new ShellTaskType();
    assertThat(
            type.validate(
                TaskConfig.of(
                    Map.of("command", "true", "maxLogSize", "1000000000GB"), type.options())))
        .containsExactly(
            "'maxLogSize': '1000000000GB' is out of range; allowed are 0 to 10 GiB (10GB)");
    assertThat(
            type.validate(
                TaskConfig.of(
                    Map.of("command", "true", "maxLogSize", "999999999999GB"), type.options())))
        .containsExactly(
            "'maxLogSize': '999999999999GB' is out of range; allowed are 0 to 10 GiB (10GB)");
    assertThat(
            type.validate(
                TaskConfig.of(Map.of("command", "true", "maxLogSize", "10241MB"), type.options())))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("'maxLogSize'", "out of range", "10 GiB");
    assertThat(
            type.validate(
                TaskConfig.of(Map.of("command", "true", "maxLogSize", "10GB"), type.options())))
        .isEmpty();
  }
}
