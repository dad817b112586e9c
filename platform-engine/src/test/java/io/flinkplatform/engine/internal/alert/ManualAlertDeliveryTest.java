package io.flinkplatform.engine.internal.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.alert.AlertKind;
import io.flinkplatform.engine.alert.AlertRule;
import io.flinkplatform.engine.internal.alert.AlertFixture.Received;
import io.flinkplatform.engine.internal.alert.AlertFixture.Receiver;
import io.flinkplatform.engine.testing.ManualClock;
import io.flinkplatform.engine.testing.ManualPlatform;
import io.flinkplatform.engine.testing.TestPlatforms;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The testkit's manual mode runs the delivery pass: retries follow the manual clock. */
class ManualAlertDeliveryTest {
  private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
  private TestPlatforms platforms;
  private Receiver receiver;

  @BeforeEach
  void setUp() throws Exception {
    platforms = new TestPlatforms();
    receiver = new Receiver();
  }

  @AfterEach
  void tearDown() {
    platforms.close();
    receiver.close();
  }

  @Test
  void aTickDeliversAndARetryWaitsForTheClock() throws Exception {
    ManualPlatform platform =
        platforms.manual(new ManualClock(T0), b -> b.configure(p -> p.alerts(AlertFixture.QUICK)));
    AlertFixture fx = new AlertFixture(platforms.dataSource());
    fx.channel("ops", receiver.url());
    StoredRule rule =
        fx.rule(
            AlertRule.on("failures", AlertKind.RUN_FAILED)
                .channels("ops")
                .rateLimit(Duration.ZERO)
                .build());
    receiver.answer(500);

    long alert = fx.raise(rule, "etl", 1, T0.toEpochMilli());
    platform.runUntilIdle();

    assertThat(fx.states()).containsExactly("PENDING");
    assertThat(fx.string("SELECT next_at FROM t_alert_delivery"))
        .isEqualTo(Long.toString(T0.toEpochMilli() + 300));
    assertThat(receiver.received()).hasSize(1);

    platform.advance(Duration.ofMillis(300)).runUntilIdle();

    assertThat(fx.states()).containsExactly("DELIVERED");
    assertThat(receiver.received())
        .extracting(Received::key)
        .isEqualTo(List.of(fx.key(alert), fx.key(alert)));
  }
}
