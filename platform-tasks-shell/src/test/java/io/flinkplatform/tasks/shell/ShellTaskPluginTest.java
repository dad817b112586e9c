package io.flinkplatform.tasks.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.spi.OptionType;
import io.flinkplatform.spi.TaskOption;
import io.flinkplatform.spi.TaskPlugin;
import io.flinkplatform.spi.TaskType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ShellTaskPluginTest {

  @Test
  void isFoundByTheServiceLoader() {
    List<TaskPlugin> plugins =
        ServiceLoader.load(TaskPlugin.class).stream().map(ServiceLoader.Provider::get).toList();

    assertThat(plugins).hasSize(1).first().isInstanceOf(ShellTaskPlugin.class);
    assertThat(plugins.get(0).name()).isEqualTo("shell");
    assertThat(plugins.get(0).taskTypes()).extracting(TaskType::id).containsExactly("shell");
  }

  @Test
  void declaresDocumentedOptionsWithDefaults() {
    TaskType type = new ShellTaskPlugin().taskTypes().get(0);
    Map<String, TaskOption> options =
        type.options().stream().collect(Collectors.toMap(TaskOption::name, Function.identity()));

    assertThat(type.description()).isNotBlank();
    assertThat(options.keySet())
        .containsExactlyInAnyOrder(
            "command",
            "args",
            "interpreter",
            "workingDirectory",
            "env",
            "successExitCodes",
            "killGracePeriod",
            "resources",
            "maxLogSize",
            "rawParameters");
    assertThat(options.values()).allSatisfy(o -> assertThat(o.description()).isNotBlank());
    assertThat(options.get("args").type()).isEqualTo(OptionType.STRING_LIST);
    assertThat(options.get("env").type()).isEqualTo(OptionType.STRING_MAP);
    assertThat(options.get("interpreter").defaultValue()).isEqualTo("/bin/bash");
    assertThat(options.get("successExitCodes").defaultValue()).isEqualTo(List.of("0"));
    assertThat(options.get("killGracePeriod").defaultValue()).isEqualTo(Duration.ofSeconds(5));
    assertThat(options.get("resources").type()).isEqualTo(OptionType.STRING_MAP);
    assertThat(options.get("maxLogSize").defaultValue()).isEqualTo("64MB");
    assertThat(options.get("rawParameters").type()).isEqualTo(OptionType.STRING_LIST);
  }

  @Test
  void theDownloadCapDefaultsTo1GiBAndABadOneNamesTheSetting() {
    assertThat(ShellTaskPlugin.maxDownloadSize(Optional.empty())).isEqualTo(1L << 30);
    assertThat(ShellTaskPlugin.maxDownloadSize(Optional.of("5MB"))).isEqualTo(5L << 20);
    assertThatThrownBy(() -> ShellTaskPlugin.maxDownloadSize(Optional.of("lots")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("shell.maxDownloadSize: 'lots' is not a size");
  }

  @Test
  void shipsTheMigrationsOfItsProcessTable() {
    String location = new ShellTaskPlugin().schemaLocation().orElseThrow();

    assertThat(getClass().getClassLoader().getResource(location + "/V1__shell_process.sql"))
        .isNotNull();
  }
}
