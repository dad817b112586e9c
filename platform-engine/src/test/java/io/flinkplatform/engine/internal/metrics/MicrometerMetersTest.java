package io.flinkplatform.engine.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.run.RunState;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The workflow tag's cardinality cap, on a real registry. */
class MicrometerMetersTest {
  @Test
  void workflowsBeyondTheCapCountAsOther() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MicrometerMeters meters = MicrometerMeters.create(registry, "i1", 3);
    for (int i = 0; i < 10; i++) {
      meters.runStarted("wf_" + i);
      meters.runEnded("wf_" + i, RunState.SUCCESS);
    }
    meters.runStarted("wf_0"); // a name seen before the cap keeps its own tag

    Set<String> tags =
        registry.find("flinkplatform.runs.started").counters().stream()
            .map(c -> c.getId().getTag("workflow"))
            .collect(Collectors.toSet());
    assertThat(tags).containsExactlyInAnyOrder("wf_0", "wf_1", "wf_2", "other");
    assertThat(
            registry.get("flinkplatform.runs.started").tag("workflow", "other").counter().count())
        .isEqualTo(7);
    assertThat(registry.get("flinkplatform.runs.started").tag("workflow", "wf_0").counter().count())
        .isEqualTo(2);
    assertThat(registry.get("flinkplatform.runs.ended").tag("workflow", "other").counter().count())
        .isEqualTo(7);
    assertThat(registry.getMeters().stream().map(Meter::getId).map(id -> id.getTag("workflow")))
        .filteredOn(w -> w != null)
        .allMatch(Set.of("wf_0", "wf_1", "wf_2", "other")::contains);
  }

  @Test
  void theDefaultCapIsFiveHundred() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MicrometerMeters meters = MicrometerMeters.create(registry, "i1");
    for (int i = 0; i < 600; i++) {
      meters.runStarted("wf_" + i);
    }
    assertThat(registry.find("flinkplatform.runs.started").counters()).hasSize(501);
    assertThat(
            registry.get("flinkplatform.runs.started").tag("workflow", "other").counter().count())
        .isEqualTo(100);
  }

  @Test
  void alertDeliveriesAreCountedByChannelTypeAndOutcome() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Meters meters = MicrometerMeters.create(registry, "i1");
    meters.alertDelivered("webhook", true);
    meters.alertDelivered("webhook", false);
    meters.alertDelivered("webhook", false);
    meters.alertDelivered("email", true);
    assertThat(
            registry
                .get("flinkplatform.alert.deliveries")
                .tags("channel.type", "webhook", "outcome", "failed")
                .counter()
                .count())
        .isEqualTo(2);
    assertThat(
            registry
                .get("flinkplatform.alert.deliveries")
                .tags("channel.type", "email", "outcome", "delivered")
                .counter()
                .count())
        .isEqualTo(1);
  }
}
