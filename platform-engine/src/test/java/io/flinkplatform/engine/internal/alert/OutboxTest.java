package io.flinkplatform.engine.internal.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.alert.AlertKind;
import io.flinkplatform.engine.alert.AlertRule;
import io.flinkplatform.engine.alert.AlertSettings;
import io.flinkplatform.engine.alert.DeliveryState;
import io.flinkplatform.engine.internal.alert.Outbox.Claimed;
import io.flinkplatform.engine.internal.alert.Outbox.Outcome;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.testing.Sql;
import io.flinkplatform.engine.testing.TestPlatforms;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The outbox's statements on the real database, driven directly as two instances would: a claim
 * leases, a lapsed lease is claimed again with a higher epoch, the old claim's mark changes
 * nothing, and the backoff doubles up to its cap.
 */
class OutboxTest {
  private TestPlatforms platforms;
  private AlertFixture fx;
  private Store store;

  @BeforeEach
  void setUp() throws Exception {
    platforms = new TestPlatforms();
    platforms.start("schema", b -> b.alerts(AlertSettings.disabled())); // migrates, delivers none
    fx = new AlertFixture(platforms.dataSource());
    store = new Store(platforms.dataSource());
  }

  @AfterEach
  void tearDown() {
    platforms.close();
  }

  @Test
  void aMarkUnderAStaleEpochChangesNothing() throws Exception {
    Outbox a = new Outbox(store, "a#1", AlertFixture.QUICK);
    Outbox b = new Outbox(store, "b#1", AlertFixture.QUICK);
    long now = System.currentTimeMillis();
    assertThat(a.due(now, 4)).isEmpty();
    fx.channel("ops", "http://127.0.0.1:9/none");
    StoredRule rule =
        fx.rule(
            AlertRule.on("failures", AlertKind.RUN_FAILED)
                .channels("ops")
                .rateLimit(Duration.ZERO)
                .build());
    fx.raise(rule, "etl", 1, now);

    List<Claimed> first = a.claim(now, 4);
    assertThat(first).hasSize(1);
    assertThat(first.get(0).delivery().epoch).isEqualTo(1);
    assertThat(b.due(now, 4)).as("leased").isEmpty();
    assertThat(b.claim(now, 4)).isEmpty();

    Sql.update(platforms.dataSource(), "UPDATE t_alert_delivery SET lease_until = 0"); // lapsed
    List<Claimed> second = b.claim(now, 4);
    assertThat(second).hasSize(1);
    assertThat(second.get(0).delivery().epoch).isEqualTo(2);

    assertThat(a.mark(first.get(0), Outcome.delivered(), now)).isFalse();
    assertThat(fx.string("SELECT CONCAT(state, ' ', owner, ' ', epoch) FROM t_alert_delivery"))
        .isEqualTo("PENDING b#1 2");
    assertThat(b.mark(second.get(0), Outcome.retry(now + 5_000, "HTTP 503"), now)).isTrue();
    assertThat(
            fx.string(
                "SELECT CONCAT(state, ' ', IFNULL(owner, '-'), ' ', IFNULL(lease_until, '-'), ' ',"
                    + " next_at - "
                    + now
                    + ", ' ', last_error) FROM t_alert_delivery"))
        .isEqualTo("PENDING - - 5000 HTTP 503");
    assertThat(
            fx.strings(
                "SELECT CONCAT(owner, ' ', epoch, ' ', ended_at IS NOT NULL) FROM t_alert_attempt"
                    + " ORDER BY id"))
        .containsExactly("a#1 1 0", "b#1 2 1");
    assertThat(a.due(now, 4)).as("not due before its backoff").isEmpty();
    assertThat(a.due(now + 5_000, 4)).containsExactly(DeliveryState.PENDING.name());
  }

  @Test
  void theBackoffDoublesFromFirstRetryUpToItsCap() {
    Sender sender =
        new Sender(
            new ChannelRegistry(List.of()),
            null,
            AlertFixture.QUICK,
            java.time.Clock.systemUTC(),
            io.flinkplatform.engine.internal.metrics.Meters.NONE);
    assertThat(List.of(1, 2, 3, 4, 40).stream().map(sender::backoffMillis).toList())
        .containsExactly(300L, 600L, 1000L, 1000L, 1000L);
  }
}
