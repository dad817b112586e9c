package io.flinkplatform.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.spi.PluginContext;
import io.flinkplatform.spi.TaskPlugin;
import io.flinkplatform.spi.TaskType;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** What the engine hands plugins beyond settings: the installation id, and start errors. */
class PluginInstallationTest {

  /** A plugin that runs {@code onStart} with its context. */
  record Plugin(String name, Consumer<PluginContext> onStart) implements TaskPlugin {
    @Override
    public List<TaskType> taskTypes() {
      return List.of();
    }

    @Override
    public void start(PluginContext context) {
      onStart.accept(context);
    }
  }

  @Test
  void everyInstanceOfADatabaseSeesOneInstallationIdAndAnotherDatabaseAnother() {
    String[] seen = new String[3];
    try (TestPlatforms one = new TestPlatforms();
        TestPlatforms other = new TestPlatforms()) {
      one.start("a", b -> b.plugin(new Plugin("p", c -> seen[0] = c.installationId())));
      one.start("b", b -> b.plugin(new Plugin("p", c -> seen[1] = c.installationId())));
      other.start("c", b -> b.plugin(new Plugin("p", c -> seen[2] = c.installationId())));
    }
    assertThat(UUID.fromString(seen[0]).version()).isEqualTo(4);
    assertThat(seen[1]).isEqualTo(seen[0]);
    assertThat(seen[2]).isNotEqualTo(seen[0]);
  }

  @Test
  void aPluginMissingAClassFailsTheStartNamingThePluginAndTheClass() {
    Plugin plugin =
        new Plugin(
            "needs-yarn",
            c -> {
              throw new NoClassDefFoundError("org/apache/flink/yarn/YarnClusterDescriptor");
            });
    try (TestPlatforms platforms = new TestPlatforms()) {
      assertThatThrownBy(() -> platforms.start("a", b -> b.plugin(plugin)))
          .isInstanceOf(PlatformException.class)
          .hasMessageContaining("plugin needs-yarn cannot start")
          .hasMessageContaining("org.apache.flink.yarn.YarnClusterDescriptor")
          .hasMessageContaining("missing from the class path");
    }
  }
}
