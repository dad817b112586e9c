package io.flinkplatform.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.spi.PluginContext;
import io.flinkplatform.spi.PluginMeters;
import io.flinkplatform.spi.TaskPlugin;
import io.flinkplatform.spi.TaskType;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A plugin's gauges ({@link PluginContext#meters()}) on a real platform: on the host's registry,
 * tagged with the instance, read per scrape; without a registry nothing is registered but the
 * arguments are still checked.
 */
class PluginMetersTest {

  /** A plugin that registers one gauge at start and keeps its context's meters. */
  private static final class GaugingPlugin implements TaskPlugin {
    final AtomicLong value = new AtomicLong();
    final AtomicReference<PluginMeters> meters = new AtomicReference<>();

    @Override
    public String name() {
      return "gauging";
    }

    @Override
    public List<TaskType> taskTypes() {
      return List.of();
    }

    @Override
    public void start(PluginContext context) {
      meters.set(context.meters());
      context
          .meters()
          .gauge(
              "flinkplatform.test.things",
              "things the test plugin holds, by colour",
              Map.of("colour", "red"),
              value::get);
    }
  }

  @Test
  void aPluginGaugeIsOnTheHostsRegistryTaggedWithTheInstanceAndReadPerScrape() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    GaugingPlugin plugin = new GaugingPlugin();
    try (TestPlatforms platforms = new TestPlatforms()) {
      platforms.start("gauged", b -> b.meterRegistry(registry).plugin(plugin));

      Gauge gauge =
          registry
              .get("flinkplatform.test.things")
              .tag("colour", "red")
              .tag("instance", "gauged")
              .gauge();
      assertThat(gauge.getId().getDescription())
          .isEqualTo("things the test plugin holds, by colour");
      assertThat(gauge.value()).isEqualTo(0);
      plugin.value.set(3);
      assertThat(gauge.value()).isEqualTo(3);

      // a supplier that fails or gives null reads as NaN: the scrape never sees it
      plugin
          .meters
          .get()
          .gauge(
              "flinkplatform.test.broken",
              "fails",
              Map.of(),
              () -> {
                throw new IllegalStateException("boom");
              });
      plugin.meters.get().gauge("flinkplatform.test.empty", "null", Map.of(), () -> null);
      assertThat(registry.get("flinkplatform.test.broken").gauge().value()).isNaN();
      assertThat(registry.get("flinkplatform.test.empty").gauge().value()).isNaN();

      // registering the same name and tags again (a plugin started again) replaces the gauge
      plugin
          .meters
          .get()
          .gauge("flinkplatform.test.things", "again", Map.of("colour", "red"), () -> 42);
      assertThat(registry.find("flinkplatform.test.things").gauges()).hasSize(1);
      assertThat(registry.get("flinkplatform.test.things").tag("colour", "red").gauge().value())
          .isEqualTo(42);

      assertRejectsBadArguments(plugin.meters.get());
      assertThat(registry.find("flinkplatform.test.other").meters()).isEmpty();
      assertThat(registry.find("other.things").meters()).isEmpty();
    }
  }

  @Test
  void withoutARegistryNothingIsMeasuredButTheArgumentsAreChecked() {
    GaugingPlugin plugin = new GaugingPlugin();
    try (TestPlatforms platforms = new TestPlatforms()) {
      platforms.start("ungauged", b -> b.plugin(plugin));

      PluginMeters meters = plugin.meters.get();
      assertThat(meters).isSameAs(PluginMeters.NONE);
      meters.gauge("flinkplatform.test.things", "fine", Map.of("colour", "blue"), () -> 1);
      assertRejectsBadArguments(meters);
    }
  }

  private static void assertRejectsBadArguments(PluginMeters meters) {
    assertThatThrownBy(() -> meters.gauge("other.things", "d", Map.of(), () -> 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must start with 'flinkplatform.'")
        .hasMessageContaining("other.things");
    assertThatThrownBy(
            () -> meters.gauge("flinkplatform.test.other", "d", Map.of("instance", "x"), () -> 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'instance'");
    assertThatThrownBy(
            () -> meters.gauge("flinkplatform.test.other", "d", Map.of("colour", " "), () -> 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tag colour");
    assertThatThrownBy(() -> meters.gauge("flinkplatform.test.other", "d", Map.of(), null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("value is null");
  }
}
