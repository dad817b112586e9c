package io.flinkplatform.tasks.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.testing.TestTaskContext;
import io.flinkplatform.spi.TaskOutcome;
import io.flinkplatform.spi.TaskOutcome.Success;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Outputs declared by real processes: only at a real line start, and within the engine's limit. */
class ShellOutputsTest {

  private static TaskOutcome run(String command) {
    return new ShellTaskType()
        .execute(TestTaskContext.of(Map.of("command", command), new ShellTaskType().options()));
  }

  @Test
  void theContinuationOfALongLineCannotDeclareOutputs() {
    TaskOutcome outcome =
        run(
            "head -c "
                + OutputPump.MAX_LINE_CHARS
                + " /dev/zero | tr '\\0' a; echo '##output injected=1';"
                + " head -c "
                + (2 * OutputPump.MAX_LINE_CHARS)
                + " /dev/zero | tr '\\0' b; echo '##output injected2=1';"
                + " echo '##output real=2'");

    assertThat(outcome).isEqualTo(TaskOutcome.success(Map.of("real", "2")));
  }

  @Test
  void outputsBeyondWhatThePlatformAcceptsFailTheTaskNamingTheLimit() {
    String tooMuch =
        "v=$(head -c 1000 /dev/zero | tr '\\0' v);"
            + " for i in $(seq 1 70); do echo \"##output k$i=$v\"; done";

    TaskOutcome outcome = run(tooMuch);

    assertThat(outcome)
        .isEqualTo(
            TaskOutcome.fatal(
                "the ##output lines declare more than 60000 characters of keys and values, the"
                    + " most the platform accepts as a task's outputs"));
    TaskOutcome fits =
        run(
            "v=$(head -c 1000 /dev/zero | tr '\\0' v);"
                + " for i in $(seq 1 70); do echo \"##output k=$v$i\"; done");
    assertThat(fits).isInstanceOf(Success.class);
    assertThat(((Success) fits).outputs()).containsOnlyKeys("k");
  }
}
