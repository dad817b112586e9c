package io.flinkplatform.tasks.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.spi.TaskConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShellValidatorTest {
  private static List<String> validate(Map<String, ?> raw) {
    ShellTaskType type = new ShellTaskType();
    return type.validate(TaskConfig.of(raw, type.options()));
  }

  @Test
  void acceptsACommandOrArgs() {
    assertThat(validate(Map.of("command", "echo hi"))).isEmpty();
    assertThat(validate(Map.of("args", List.of("echo", "hi")))).isEmpty();
    assertThat(
            validate(
                Map.of(
                    "command", "true",
                    "workingDirectory", "/tmp",
                    "env", Map.of("A", "1"),
                    "successExitCodes", List.of("0", "255"),
                    "killGracePeriod", "PT0S")))
        .isEmpty();
  }

  @Test
  void needsExactlyOneOfCommandAndArgs() {
    assertThat(validate(Map.of())).containsExactly("either 'command' or 'args' must be given");
    assertThat(validate(Map.of("command", "true", "args", List.of("true"))))
        .containsExactly("'command' and 'args' cannot both be given");
  }

  @Test
  void rejectsEmptyPrograms() {
    assertThat(validate(Map.of("command", "  "))).containsExactly("'command' must not be blank");
    assertThat(validate(Map.of("args", List.of())))
        .containsExactly("'args' must start with a program to run");
    assertThat(validate(Map.of("command", "true", "interpreter", "")))
        .containsExactly("'interpreter' must not be blank");
  }

  @Test
  void rejectsExitCodesThatAreNotIntegersFrom0To255() {
    assertThat(validate(Map.of("command", "true", "successExitCodes", List.of("0", "x", "256"))))
        .containsExactly(
            "'successExitCodes' holds 'x', which is not an integer from 0 to 255",
            "'successExitCodes' holds '256', which is not an integer from 0 to 255");
    assertThat(validate(Map.of("command", "true", "successExitCodes", List.of())))
        .containsExactly("'successExitCodes' must not be empty");
  }

  @Test
  void reportsEveryProblemAtOnce() {
    assertThat(
            validate(
                Map.of(
                    "workingDirectory", "relative/dir",
                    "env", Map.of("A=B", "1"),
                    "killGracePeriod", Duration.ofSeconds(-1))))
        .containsExactly(
            "either 'command' or 'args' must be given",
            "'workingDirectory' must be an absolute path",
            "'env' has the variable name 'A=B', which is not an identifier: use letters, digits"
                + " and '_', not starting with a digit ([A-Za-z_][A-Za-z0-9_]*)",
            "'killGracePeriod' must not be negative");
  }
}
