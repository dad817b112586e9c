package io.flinkplatform.engine.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.event.PlatformEvent;
import io.flinkplatform.engine.run.RunState;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The testkit's own contract: ticks, idleness, its typed error, events, both ways to connect. */
class ManualPlatformTest {
  private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

  @Test
  void aTickNamesTheBusyLoopsAndAnIdlePlatformDoesNothing() {
    try (TestPlatforms platforms = new TestPlatforms()) {
      ManualPlatform platform = platforms.manual(new ManualClock(T0), b -> {});
      PlatformClient client = platform.client();
      assertThat(platform.tick().idle()).isTrue();
      client.deploy(
          Workflow.builder("chain").task("a", "noop").task("b", "noop", t -> t.after("a")).build());
      long run = client.trigger("chain");

      Tick first = platform.tick();
      assertThat(first.busy()).contains("dispatcher");
      assertThat(client.run(run).orElseThrow().state()).isEqualTo(RunState.RUNNING);
      assertThat(platform.runUntilIdle()).as("b still to run").isPositive();

      assertThat(client.run(run).orElseThrow().state()).isEqualTo(RunState.SUCCESS);
      assertThat(platform.tick()).isEqualTo(Tick.IDLE);
      assertThat(platform.runUntilIdle()).isZero();
      assertThat(platform.events(PlatformEvent.RunStateChanged.class))
          .as("delivered to the listeners before the tick returned")
          .extracting(PlatformEvent.RunStateChanged::state)
          .endsWith(RunState.SUCCESS);
      assertThat(client.run(run).orElseThrow().endedAt()).contains(T0);
    }
  }

  @Test
  void aWorkflowThatNeverSettlesEndsInATypedErrorNamingTheBusyLoops() {
    try (TestPlatforms platforms = new TestPlatforms()) {
      ManualPlatform platform = platforms.manual(new ManualClock(T0), b -> b.maxPasses(5));
      PlatformClient client = platform.client();
      // every poll of a stamped process hands over a new reference: progress at every pass
      client.deploy(
          Workflow.builder("restless")
              .task("p", "process", t -> t.option("seconds", 60).option("stamp", true))
              .build());
      long run = client.trigger("restless");

      assertThatThrownBy(platform::runUntilIdle)
          .isInstanceOfSatisfying(
              NotIdleException.class,
              e -> {
                assertThat(e.passes()).isEqualTo(5);
                assertThat(e.lastPass().busy()).containsExactly("external-poller");
              })
          .hasMessageContaining("within 5 passes")
          .hasMessageContaining("external-poller");

      client.kill(run);
      platform.tick();
      platform.tick();
      assertThat(client.run(run).orElseThrow().state()).isEqualTo(RunState.KILLED);
    }
  }

  @Test
  void itConnectsByUrlWithAPoolOfItsOwn() {
    String url = TestDatabase.get().newDatabaseUrl();
    try (ManualPlatform platform =
        ManualPlatform.builder()
            .jdbcUrl(url, "root", "")
            .startingAt(T0)
            .plugin(new TestTasks())
            .configure(b -> b.discoverPlugins(false).logDirectory(TestPlatforms.logDirectory(url)))
            .build()) {
      PlatformClient client = platform.client();
      client.deploy(Workflow.builder("one").task("a", "noop").build());
      long run = client.trigger("one");
      platform.runUntilIdle();
      assertThat(client.run(run).orElseThrow().state()).isEqualTo(RunState.SUCCESS);
      assertThat(platform.now()).isEqualTo(T0);
    }
  }

  @Test
  void aPlatformNeedsADatabase() {
    assertThatThrownBy(() -> ManualPlatform.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("dataSource(...) or jdbcUrl(...)");
  }
}
