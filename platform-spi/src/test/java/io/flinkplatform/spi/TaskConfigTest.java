package io.flinkplatform.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskConfigTest {
  private static final List<TaskOption> OPTIONS =
      List.of(
          TaskOption.required("command", OptionType.STRING, "what to run"),
          TaskOption.optional("retries", OptionType.INT, 3, "how often"),
          TaskOption.optional("timeout", OptionType.DURATION, "30s", "how long"),
          TaskOption.optional("verbose", OptionType.BOOLEAN, false, "chatty"),
          TaskOption.optional("args", OptionType.STRING_LIST, null, "arguments"),
          TaskOption.optional("env", OptionType.STRING_MAP, null, "environment"),
          TaskOption.required("password", OptionType.STRING, "secret").asSecret());

  @Test
  void convertsValuesAndFillsDefaults() {
    TaskConfig c =
        TaskConfig.of(
            Map.of(
                "command",
                "ls",
                "retries",
                "5",
                "verbose",
                "true",
                "args",
                List.of("-l", 1),
                "env",
                Map.of("A", 1),
                "password",
                "hunter2"),
            OPTIONS);
    assertThat(c.requireString("command")).isEqualTo("ls");
    assertThat(c.integer("retries")).contains(5);
    assertThat(c.duration("timeout")).contains(Duration.ofSeconds(30));
    assertThat(c.bool("verbose")).contains(true);
    assertThat(c.stringList("args")).containsExactly("-l", "1");
    assertThat(c.stringMap("env")).containsEntry("A", "1");
    assertThat(c.toString()).doesNotContain("hunter2").contains("password");
  }

  @Test
  void namesTheOptionAndTheExpectedForm() {
    assertThatThrownBy(() -> TaskConfig.of(Map.of("retries", "many"), OPTIONS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("option 'retries': expected an integer but got String 'many'");
    assertThatThrownBy(() -> TaskConfig.of(Map.of("timeout", "soon"), OPTIONS))
        .hasMessageContaining("'soon' is not a duration; use e.g. PT30S, 500ms, 30s, 5m, 2h or 1d");
  }

  @Test
  void parsesDurationsInBothForms() {
    assertThat(OptionType.parseDuration("PT1M")).isEqualTo(Duration.ofMinutes(1));
    assertThat(OptionType.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(OptionType.parseDuration("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(OptionType.parseDuration("1d")).isEqualTo(Duration.ofDays(1));
  }

  @Test
  void requiredOptionsCannotHaveDefaults() {
    assertThatThrownBy(
            () -> new TaskOption("x", OptionType.STRING, true, "d", "", List.of(), false))
        .hasMessage("required option 'x' cannot have a default");
  }

  @Test
  void outcomesAndReferencesAreImmutableValues() {
    assertThat(TaskOutcome.success(Map.of("k", "v")))
        .isEqualTo(new TaskOutcome.Success(Map.of("k", "v")));
    assertThat(TaskOutcome.failure("x")).isEqualTo(new TaskOutcome.Failure("x", true));
    assertThat(TaskOutcome.fatal("x")).isEqualTo(new TaskOutcome.Failure("x", false));
    assertThatThrownBy(() -> new ExternalRef(null, Map.of())).hasMessage("id is null");
    assertThat(ExternalStatus.finished(TaskOutcome.success()))
        .isInstanceOf(ExternalStatus.Finished.class);
  }
}
