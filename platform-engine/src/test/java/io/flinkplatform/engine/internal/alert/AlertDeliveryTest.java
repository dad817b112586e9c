package io.flinkplatform.engine.internal.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.KeyRing;
import io.flinkplatform.engine.alert.AlertKind;
import io.flinkplatform.engine.alert.AlertRule;
import io.flinkplatform.engine.internal.alert.AlertFixture.Received;
import io.flinkplatform.engine.internal.alert.AlertFixture.Receiver;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.TestPlatforms;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The outbox's delivery loop on real instances, a real MariaDB and a real HTTP receiver: once,
 * retried with backoff, failed for good, silenced, rate-limited into a digest, and shared by two
 * instances without a duplicate.
 */
class AlertDeliveryTest {
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

  private void start(String name) {
    platforms.start(name, b -> b.alerts(AlertFixture.QUICK));
  }

  private StoredRule rule(Duration rateLimit) throws Exception {
    fx.channel("ops", receiver.url());
    return fx.rule(
        AlertRule.on("failures", AlertKind.RUN_FAILED)
            .channels("ops")
            .rateLimit(rateLimit)
            .build());
  }

  @Test
  void deliversAnAlertOnceWithItsIdempotencyKey() throws Exception {
    start("a");
    StoredRule rule = rule(Duration.ZERO);

    long alert = fx.raise(rule, "etl", 1);

    Await.until(() -> fx.rows("SELECT state FROM t_alert_delivery").equals(List.of("DELIVERED")));
    String key = fx.key(alert);
    assertThat(receiver.received()).extracting(Received::key).containsExactly(key);
    assertThat(receiver.received().get(0).title()).isEqualTo("[CRITICAL] run 1 of etl FAILED");
    assertThat(fx.strings("SELECT CONCAT(attempts, ' ', epoch) FROM t_alert_delivery"))
        .containsExactly("1 1");
    assertThat(
            fx.strings(
                "SELECT CONCAT(attempt, ' ', epoch, ' ', ended_at IS NOT NULL, ' ',"
                    + " IFNULL(error, '-')) FROM t_alert_attempt"))
        .containsExactly("1 1 1 -");
    assertThat(fx.count("SELECT COUNT(*) FROM t_alert_delivery WHERE delivered_at IS NOT NULL"))
        .isEqualTo(1);
  }

  @Test
  void retriesWithBackoffWhileTheReceiverAnswers500() throws Exception {
    receiver.answer(500, 503);
    start("a");
    StoredRule rule = rule(Duration.ZERO);

    long alert = fx.raise(rule, "etl", 1);

    Await.until(() -> fx.rows("SELECT state FROM t_alert_delivery").equals(List.of("DELIVERED")));
    String key = fx.key(alert);
    List<Received> got = receiver.received();
    assertThat(got).extracting(Received::key).containsExactly(key, key, key);
    // backoff: 300 ms after the first failure, 600 ms after the second
    assertThat(got.get(1).atMillis() - got.get(0).atMillis()).isGreaterThanOrEqualTo(300);
    assertThat(got.get(2).atMillis() - got.get(1).atMillis()).isGreaterThanOrEqualTo(600);
    assertThat(
            fx.strings(
                "SELECT CONCAT(attempt, ' ', epoch, ' ', IFNULL(error, '-')) FROM t_alert_attempt"
                    + " ORDER BY id"))
        .containsExactly(
            "1 1 HTTP 500 from the receiver", "2 2 HTTP 503 from the receiver", "3 3 -");
    assertThat(
            fx.string(
                "SELECT CONCAT(attempts, ' ', IFNULL(last_error, '-')) FROM t_alert_delivery"))
        .isEqualTo("3 -");
  }

  @Test
  void aRefusalThatIsNotRetryableFailsAtOnce() throws Exception {
    receiver.answer(400);
    start("a");
    StoredRule rule = rule(Duration.ZERO);

    fx.raise(rule, "etl", 1);

    Await.until(() -> fx.rows("SELECT state FROM t_alert_delivery").equals(List.of("FAILED")));
    assertThat(receiver.received()).hasSize(1);
    assertThat(fx.string("SELECT CONCAT(attempts, ' ', last_error) FROM t_alert_delivery"))
        .isEqualTo("1 HTTP 400 from the receiver");
    assertThat(fx.string("SELECT error FROM t_alert_attempt"))
        .isEqualTo("HTTP 400 from the receiver");
  }

  @Test
  void aSecretOptionIsOpenedForTheSendAndMaskedInTheError() throws Exception {
    KeyRing ring = KeyRing.of("k1", Base64.getEncoder().encodeToString(new byte[32]));
    receiver.answer(400);
    platforms.start("a", b -> b.keyRing(() -> ring).alerts(AlertFixture.QUICK));
    String token = "tok-3f9a1c77e2";
    fx.channel("ops", receiver.url(), token, ring);
    assertThat(fx.string("SELECT options FROM t_alert_channel")).doesNotContain(token);
    StoredRule rule =
        fx.rule(
            AlertRule.on("failures", AlertKind.RUN_FAILED)
                .channels("ops")
                .rateLimit(Duration.ZERO)
                .build());

    fx.raise(rule, "etl", 1);

    Await.until(() -> fx.rows("SELECT state FROM t_alert_delivery").equals(List.of("FAILED")));
    assertThat(receiver.received()).extracting(Received::token).containsExactly(token);
    assertThat(fx.string("SELECT last_error FROM t_alert_delivery"))
        .isEqualTo("HTTP 400 from the receiver for token ******");
    assertThat(fx.string("SELECT error FROM t_alert_attempt")).doesNotContain(token);
  }

  @Test
  void aMissingChannelFailsWithTheReason() throws Exception {
    start("a");
    StoredRule rule =
        fx.rule(AlertRule.on("failures", AlertKind.RUN_FAILED).channels("gone").build());

    fx.raise(rule, "etl", 1);

    Await.until(() -> fx.rows("SELECT state FROM t_alert_delivery").equals(List.of("FAILED")));
    assertThat(fx.string("SELECT last_error FROM t_alert_delivery"))
        .isEqualTo("channel 'gone' does not exist in workspace 'default'");
  }

  @Test
  void aSilenceKeepsMatchingAlertsFromBeingSent() throws Exception {
    start("a");
    StoredRule rule = rule(Duration.ZERO);
    fx.silence("failures", "etl_*", System.currentTimeMillis() + 3_600_000);

    long silenced = fx.raise(rule, "etl_daily", 1);
    long sent = fx.raise(rule, "report", 2);

    Await.until(
        () ->
            fx.rows("SELECT state FROM t_alert_delivery ORDER BY id")
                .equals(List.of("SILENCED", "DELIVERED")));
    assertThat(receiver.received()).extracting(Received::key).containsExactly(fx.key(sent));
    assertThat(receiver.with(fx.key(silenced))).isEmpty();
    assertThat(fx.count("SELECT epoch FROM t_alert_delivery WHERE alert_id = " + silenced))
        .isZero();
  }

  @Test
  void alertsInsideTheRateLimitWindowAreSentAsOneDigestWhenItEnds() throws Exception {
    start("a");
    StoredRule rule = rule(Duration.ofSeconds(2));
    List<Long> alerts = new ArrayList<>();
    for (int run = 1; run <= 5; run++) {
      alerts.add(fx.raise(rule, "etl", run));
    }
    long other = fx.raise(rule, "report", 9); // another workflow: a window of its own

    Await.until(() -> receiver.received().size() == 3);
    List<Received> got = receiver.received();
    assertThat(got.subList(0, 2))
        .extracting(Received::key)
        .containsExactlyInAnyOrder(fx.key(alerts.get(0)), fx.key(other));
    Received digest = got.get(2);
    assertThat(digest.count()).isEqualTo(4);
    assertThat(digest.title()).isEqualTo("[CRITICAL] 4 alerts of rule failures for workflow etl");
    assertThat(digest.body()).contains("run 2 of etl FAILED", "run 5 of etl FAILED");
    assertThat(digest.atMillis() - got.get(0).atMillis()).isGreaterThanOrEqualTo(1_900);
    Await.until(
        () ->
            fx.rows("SELECT state FROM t_alert_delivery ORDER BY id")
                .equals(
                    List.of(
                        "DELIVERED",
                        "DIGESTED",
                        "DIGESTED",
                        "DIGESTED",
                        "DIGESTED",
                        "DELIVERED",
                        "DELIVERED")));
    String digestId = fx.string("SELECT id FROM t_alert WHERE item_count = 4");
    assertThat(
            fx.strings("SELECT DISTINCT digest_id FROM t_alert_delivery WHERE state = 'DIGESTED'"))
        .containsExactly(digestId);
    assertThat(fx.string("SELECT idempotency_key FROM t_alert WHERE id = " + digestId))
        .isEqualTo(digest.key());
  }

  @Test
  void twoInstancesDeliverEachAlertExactlyOnce() throws Exception {
    start("a");
    start("b");
    StoredRule rule = rule(Duration.ZERO);
    Set<String> keys = new HashSet<>();
    for (int run = 1; run <= 40; run++) {
      keys.add(fx.key(fx.raise(rule, "etl", run)));
    }

    Await.until(
        () ->
            fx.rows("SELECT COUNT(*) FROM t_alert_delivery WHERE state = 'DELIVERED'")
                .equals(List.of("40")));
    assertThat(receiver.received()).hasSize(40);
    assertThat(receiver.received())
        .extracting(Received::key)
        .containsExactlyInAnyOrderElementsOf(keys);
    assertThat(fx.strings("SELECT DISTINCT CONCAT(attempts, ' ', epoch) FROM t_alert_delivery"))
        .containsExactly("1 1");
    assertThat(fx.count("SELECT COUNT(*) FROM t_alert_attempt")).isEqualTo(40);
  }
}
