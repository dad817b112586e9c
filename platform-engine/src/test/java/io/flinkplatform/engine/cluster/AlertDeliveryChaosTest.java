package io.flinkplatform.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.alert.AlertKind;
import io.flinkplatform.engine.alert.AlertRule;
import io.flinkplatform.engine.internal.alert.AlertFixture;
import io.flinkplatform.engine.internal.alert.AlertFixture.Received;
import io.flinkplatform.engine.internal.alert.AlertFixture.Receiver;
import io.flinkplatform.engine.internal.alert.StoredRule;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.ChildInstance;
import io.flinkplatform.engine.testing.TestPlatforms;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Alert delivery when things break: a receiver that refuses connections for a minute, and an
 * instance killed ({@code kill -9}) after the receiver got an alert and before the instance
 * recorded the send.
 */
@Tag("chaos")
class AlertDeliveryChaosTest {
  private TestPlatforms platforms;
  private Receiver receiver;
  private AlertFixture fx;

  @BeforeEach
  void setUp() throws Exception {
    platforms = new TestPlatforms();
    receiver = new Receiver();
    fx = new AlertFixture(platforms.dataSource());
  }

  @AfterEach
  void tearDown() {
    platforms.close();
    receiver.close();
  }

  private StoredRule rule() throws Exception {
    fx.channel("ops", receiver.url());
    return fx.rule(
        AlertRule.on("failures", AlertKind.RUN_FAILED)
            .channels("ops")
            .rateLimit(Duration.ZERO)
            .build());
  }

  @Test
  void alertsRaisedWhileTheReceiverIsDownForAMinuteAreAllDeliveredWhenItReturns() throws Exception {
    platforms.start("a", b -> b.alerts(AlertFixture.QUICK));
    StoredRule rule = rule();
    long before = fx.raise(rule, "etl", 1);
    Await.until(() -> fx.rows("SELECT state FROM t_alert_delivery").equals(List.of("DELIVERED")));

    receiver.stop();
    long downSince = System.nanoTime();
    List<Long> raised = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      raised.add(fx.raise(rule, "etl", 10 + i));
      Thread.sleep(10_000); // pacing: alerts raised all through the outage
    }
    // retried with backoff while refused, none given up
    assertThat(fx.count("SELECT COUNT(*) FROM t_alert_delivery WHERE state = 'PENDING'"))
        .isEqualTo(7);
    assertThat(
            fx.count(
                "SELECT COUNT(*) FROM t_alert_attempt WHERE error LIKE 'no answer: %Connect%'"))
        .isGreaterThanOrEqualTo(7);
    assertThat(System.nanoTime() - downSince).isGreaterThanOrEqualTo(60_000_000_000L);
    receiver.start();

    Await.until(
        () ->
            fx.rows("SELECT COUNT(*) FROM t_alert_delivery WHERE state = 'DELIVERED'")
                .equals(List.of("8")));
    assertThat(receiver.with(fx.key(before))).hasSize(1);
    for (long alert : raised) {
      assertThat(receiver.with(fx.key(alert))).hasSize(1);
    }
    assertThat(receiver.received()).hasSize(8);
  }

  @Test
  void anInstanceKilledBetweenSendAndMarkLeavesTheAlertToAnotherThatSendsItAgainWithTheSameKey()
      throws Exception {
    AtomicReference<Process> child = new AtomicReference<>();
    AtomicBoolean killed = new AtomicBoolean();
    receiver.onRequest(
        r -> {
          if (killed.compareAndSet(false, true)) {
            try {
              child.get().destroyForcibly().waitFor(); // kill -9 before the answer
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        });
    Process a =
        ChildInstance.launch(platforms.jdbcUrl(), "alert-victim", "threads=1", "alertLease=3000");
    child.set(a);
    try {
      StoredRule rule = rule(); // the child migrated the schema
      List<Long> alerts = new ArrayList<>();
      for (int run = 1; run <= 6; run++) {
        alerts.add(fx.raise(rule, "etl", run));
      }
      Await.until(Duration.ofSeconds(60), () -> !a.isAlive());
      String first = receiver.received().get(0).key();

      platforms.start("survivor", b -> b.alerts(AlertFixture.QUICK));
      Await.until(
          Duration.ofSeconds(60),
          () ->
              fx.rows("SELECT COUNT(*) FROM t_alert_delivery WHERE state = 'DELIVERED'")
                  .equals(List.of("6")));

      for (long alert : alerts) {
        List<Received> copies = receiver.with(fx.key(alert));
        assertThat(copies).as("copies of alert %s", alert).hasSizeBetween(1, 2);
      }
      assertThat(receiver.with(first)).hasSize(2);
      long crashed = fx.count("SELECT id FROM t_alert WHERE idempotency_key = '" + first + "'");
      assertThat(
              fx.strings(
                  "SELECT CONCAT(t.epoch, ' ', t.ended_at IS NOT NULL) FROM t_alert_attempt t"
                      + " JOIN t_alert_delivery d ON d.id = t.delivery_id WHERE d.alert_id = "
                      + crashed
                      + " ORDER BY t.id"))
          .containsExactly("1 0", "2 1");
      assertThat(fx.string("SELECT epoch FROM t_alert_delivery WHERE alert_id = " + crashed))
          .isEqualTo("2");
    } finally {
      a.destroyForcibly().waitFor();
    }
  }
}
