package io.flinkplatform.engine.internal.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.ConflictException;
import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.engine.KeyRing;
import io.flinkplatform.engine.NotFoundException;
import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.alert.AlertKind;
import io.flinkplatform.engine.alert.AlertPage;
import io.flinkplatform.engine.alert.AlertQuery;
import io.flinkplatform.engine.alert.AlertRecord;
import io.flinkplatform.engine.alert.AlertRule;
import io.flinkplatform.engine.alert.Alerts;
import io.flinkplatform.engine.alert.ChannelInfo;
import io.flinkplatform.engine.alert.ChannelSpec;
import io.flinkplatform.engine.alert.ChannelType;
import io.flinkplatform.engine.alert.Delivery;
import io.flinkplatform.engine.alert.DeliveryState;
import io.flinkplatform.engine.alert.Severity;
import io.flinkplatform.engine.alert.Silence;
import io.flinkplatform.engine.alert.SilenceSpec;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.testing.Sql;
import io.flinkplatform.engine.testing.TestAlertChannel;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.Role;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code PlatformClient.alerts()} on the real database: channels (typed options, secrets sealed in
 * the row and masked in reads), rules, silences, test sends and the history, every refusal naming
 * its field and writing nothing, every change one audit row.
 */
class AlertBookTest {
  private static final String TOKEN = "s3cr3t-t0ken-value";
  private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

  private TestPlatforms platforms;
  private Platform platform;
  private Alerts alerts;

  @BeforeEach
  void start() {
    platforms = new TestPlatforms();
    platform = platforms.start("book", b -> b.keyRing(() -> KeyRing.of("k1", KEY)));
    platform.admin(Actor.SYSTEM).createWorkspace("b", "another team");
    platform.client().setMember("alice", Role.EDITOR);
    platform.client().setMember("olga", Role.OPERATOR);
    alerts = platform.client(Actor.user("alice"), "default").alerts();
  }

  @AfterEach
  void stop() {
    platforms.close();
  }

  private long count(String sql) {
    return Sql.single(platforms.dataSource(), sql);
  }

  private String column(String sql) throws Exception {
    try (Connection c = platforms.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(sql);
        ResultSet r = ps.executeQuery()) {
      return r.next() ? r.getString(1) : null;
    }
  }

  private List<String> audit(String action) throws Exception {
    List<String> rows = new ArrayList<>();
    Sql.query(
        platforms.dataSource(),
        "SELECT actor, workspace, target, digest FROM t_audit WHERE action = '"
            + action
            + "' ORDER BY id",
        r ->
            rows.add(
                r.getString(1)
                    + "|"
                    + r.getString(2)
                    + "|"
                    + r.getString(3)
                    + "|"
                    + r.getString(4)));
    return rows;
  }

  /** Every alert table and the audit trail, as row counts. */
  private String counts() {
    StringBuilder s = new StringBuilder();
    for (String t :
        List.of(
            "t_alert_channel",
            "t_alert_rule",
            "t_alert_silence",
            "t_alert",
            "t_alert_delivery",
            "t_audit")) {
      s.append(t).append('=').append(count("SELECT COUNT(*) FROM " + t)).append(' ');
    }
    return s.toString();
  }

  /** The call is refused with an InvalidRequestException naming {@code field}; nothing written. */
  private InvalidRequestException refused(String field, ThrowingCallable call) {
    String before = counts();
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(call);
    assertThat(t).as("refusal naming " + field).isInstanceOf(InvalidRequestException.class);
    InvalidRequestException e = (InvalidRequestException) t;
    assertThat(e.field()).as(e.getMessage()).isEqualTo(field);
    assertThat(e.getMessage()).doesNotContain(TOKEN);
    assertThat(counts()).isEqualTo(before);
    return e;
  }

  private static ChannelSpec sink(String name, Map<String, Object> options) {
    return new ChannelSpec(name, TestAlertChannel.TYPE, options);
  }

  private ChannelInfo ops() {
    return alerts.putChannel(sink("ops", Map.of("url", "https://hooks.example/ops")));
  }

  // --- channels

  @Test
  void channelTypesListTheTestTypeWithItsOptions() {
    List<ChannelType> types = alerts.channelTypes();
    assertThat(types).extracting(ChannelType::type).contains(TestAlertChannel.TYPE);
    ChannelType sink =
        types.stream().filter(t -> t.type().equals(TestAlertChannel.TYPE)).findFirst().get();
    assertThat(sink.options()).extracting(o -> o.name()).contains("url", "token", "mode");
  }

  @Test
  void aSecretOptionIsSealedInTheRowMaskedInReadsAndKeptWhenASaveLeavesItOut() throws Exception {
    ChannelInfo saved =
        alerts.putChannel(
            sink(
                "pager",
                Map.of(
                    "url", "https://hooks.example/p",
                    "token", TOKEN,
                    "retries", "5",
                    "wait", "30s",
                    "mode", "signed")));
    assertThat(saved.options())
        .containsEntry("token", ChannelInfo.MASK)
        .containsEntry("retries", 5)
        .containsEntry("wait", Duration.ofSeconds(30))
        .containsEntry("url", "https://hooks.example/p");
    assertThat(saved.updatedBy()).isEqualTo("alice");
    assertThat(saved.toString()).doesNotContain(TOKEN);

    String raw = column("SELECT options FROM t_alert_channel WHERE name = 'pager'");
    assertThat(raw).doesNotContain(TOKEN).contains("\"token\":\"v2:k1:");
    String sealed = ChannelBook.read(raw).get("token").toString();
    assertThat(
            KeyRing.of("k1", KEY).open(sealed, ChannelOptions.context("default", "pager", "token")))
        .isEqualTo(TOKEN);

    // saved again without the token: mode signed still validates, as the kept token is given to it
    alerts.putChannel(
        sink(
            "pager",
            Map.of(
                "url", "https://hooks.example/p",
                "retries", "5",
                "wait", "30s",
                "mode", "signed")));
    String again = column("SELECT options FROM t_alert_channel WHERE name = 'pager'");
    assertThat(ChannelBook.read(again).get("token")).isEqualTo(sealed);
    assertThat(alerts.channels())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.options())
                  .containsEntry("token", ChannelInfo.MASK)
                  .containsEntry("url", "https://hooks.example/p")
                  .containsEntry("retries", 5);
              assertThat(c.toString()).doesNotContain(TOKEN);
            });
    // but not sent somewhere else: with another url the secret must be given again
    assertThatThrownBy(
            () ->
                alerts.putChannel(
                    sink(
                        "pager",
                        Map.of(
                            "url", "https://attacker.example/", "mode", "signed", "retries", 6))))
        .isInstanceOf(InvalidRequestException.class)
        .satisfies(e -> assertThat(((InvalidRequestException) e).field()).isEqualTo("token"))
        .hasMessageNotContaining(TOKEN);
    assertThat(column("SELECT options FROM t_alert_channel WHERE name = 'pager'")).isEqualTo(again);

    List<String> rows = audit("alert.channel.save");
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0)).startsWith("alice|default|alert-channel:pager|created");
    assertThat(rows.get(1)).contains("replaced");
    assertThat(String.join("\n", rows)).doesNotContain(TOKEN).doesNotContain("v2:");
  }

  @Test
  void everyBadChannelIsRefusedNamingItsFieldAndWritesNothing() {
    ops();
    refused("name", () -> alerts.putChannel(sink("-bad", Map.of("url", "https://x"))));
    refused("name", () -> alerts.putChannel(sink("a".repeat(192), Map.of("url", "https://x"))));
    InvalidRequestException type =
        refused("type", () -> alerts.putChannel(new ChannelSpec("c", "pigeon", Map.of())));
    assertThat(type.getMessage()).contains("pigeon").contains(TestAlertChannel.TYPE);
    InvalidRequestException unknown =
        refused(
            "options",
            () -> alerts.putChannel(sink("c", Map.of("url", "https://x", "colour", "red"))));
    assertThat(unknown.getMessage()).contains("colour").contains("url").contains("token");
    InvalidRequestException retries =
        refused(
            "retries",
            () -> alerts.putChannel(sink("c", Map.of("url", "https://x", "retries", "many"))));
    assertThat(retries.getMessage()).contains("INT").contains("many");
    refused("wait", () -> alerts.putChannel(sink("c", Map.of("url", "https://x", "wait", "soon"))));
    InvalidRequestException mode =
        refused(
            "mode", () -> alerts.putChannel(sink("c", Map.of("url", "https://x", "mode", "xml"))));
    assertThat(mode.getMessage()).contains("[plain, signed]");
    refused("url", () -> alerts.putChannel(sink("c", Map.of("retries", 1))));
    InvalidRequestException validated =
        refused("url", () -> alerts.putChannel(sink("c", Map.of("url", "ftp://x"))));
    assertThat(validated.getMessage()).contains("http://");
    refused(
        "token", () -> alerts.putChannel(sink("c", Map.of("url", "https://x", "mode", "signed"))));
    // a secret of the wrong type is refused without showing it
    refused(
        "token",
        () -> alerts.putChannel(sink("c", Map.of("url", "https://x", "token", List.of(TOKEN)))));
    // a replaced channel keeps its options when the new ones are refused
    refused("url", () -> alerts.putChannel(sink("ops", Map.of("url", "mailto:x"))));
    assertThat(alerts.channels())
        .singleElement()
        .satisfies(c -> assertThat(c.options()).containsEntry("url", "https://hooks.example/ops"));
  }

  @Test
  void withoutAKeyRingASecretOptionIsRefusedNamingItAndOthersAreSaved() {
    try (TestPlatforms plain = new TestPlatforms()) {
      Alerts a = plain.start("plain").client().alerts();
      assertThatThrownBy(() -> a.putChannel(sink("c", Map.of("url", "https://x", "token", TOKEN))))
          .isInstanceOfSatisfying(
              InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("token"))
          .hasMessageContaining("key ring")
          .hasMessageNotContaining(TOKEN);
      assertThat(Sql.single(plain.dataSource(), "SELECT COUNT(*) FROM t_alert_channel")).isZero();
      assertThat(a.putChannel(sink("c", Map.of("url", "https://x"))).options())
          .containsEntry("url", "https://x");
    }
  }

  @Test
  void aChannelARuleSendsToIsNotDeletedAndAMissingOneIsNotFound() throws Exception {
    ops();
    alerts.putChannel(sink("spare", Map.of("url", "https://hooks.example/spare")));
    alerts.putRule(AlertRule.on("failures", AlertKind.RUN_FAILED).channels("ops", "spare").build());
    alerts.putRule(AlertRule.on("kills", AlertKind.RUN_KILLED).channels("ops").build());
    String before = counts();
    assertThatThrownBy(() -> alerts.deleteChannel("ops"))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("failures")
        .hasMessageContaining("kills");
    assertThat(counts()).isEqualTo(before);
    assertThatThrownBy(() -> alerts.deleteChannel("nope")).isInstanceOf(NotFoundException.class);

    alerts.putRule(AlertRule.on("failures", AlertKind.RUN_FAILED).channels("ops").build());
    alerts.deleteChannel("spare");
    alerts.deleteRule("kills");
    alerts.deleteRule("failures");
    alerts.deleteChannel("ops");
    assertThat(alerts.channels()).isEmpty();
    assertThat(audit("alert.channel.delete"))
        .containsExactly(
            "alice|default|alert-channel:spare|deleted", "alice|default|alert-channel:ops|deleted");
  }

  // --- rules

  @Test
  void rulesAreSavedReadReplacedAndDeleted() throws Exception {
    ops();
    AlertRule overdue =
        AlertRule.on("slow-etl", AlertKind.TASK_OVERDUE)
            .channels("ops")
            .workflow("etl_*")
            .task("load")
            .label("gpu")
            .after(Duration.ofMinutes(30))
            .template("{task} of {workflow} is slow")
            .rateLimit(Duration.ofHours(1))
            .build();
    AlertRule deadline =
        AlertRule.on("by-six", AlertKind.RUN_DEADLINE)
            .channels("ops")
            .deadline(LocalTime.of(6, 0), ZoneId.of("Asia/Shanghai"))
            .severity(Severity.WARNING)
            .enabled(false)
            .build();
    AlertRule checkpoints =
        AlertRule.on("ckpt", AlertKind.FLINK_CHECKPOINTS_FAILING)
            .channels("ops")
            .threshold(5)
            .rateLimit(Duration.ZERO)
            .build();
    assertThat(alerts.putRule(overdue)).isEqualTo(overdue);
    alerts.putRule(deadline);
    alerts.putRule(checkpoints);
    assertThat(alerts.rules()).containsExactly(deadline, checkpoints, overdue);
    assertThat(alerts.rule("by-six")).contains(deadline);
    assertThat(alerts.rule("nope")).isEmpty();
    assertThat(column("SELECT CONCAT(kind, ' ', enabled) FROM t_alert_rule WHERE name = 'by-six'"))
        .isEqualTo("RUN_DEADLINE 0");

    AlertRule enabled = deadline.toBuilder().enabled(true).build();
    alerts.putRule(enabled);
    assertThat(alerts.rule("by-six")).contains(enabled);
    assertThat(count("SELECT COUNT(*) FROM t_alert_rule")).isEqualTo(3);

    alerts.deleteRule("ckpt");
    assertThat(alerts.rule("ckpt")).isEmpty();
    String before = counts();
    assertThatThrownBy(() -> alerts.deleteRule("ckpt")).isInstanceOf(NotFoundException.class);
    assertThat(counts()).isEqualTo(before);

    assertThat(audit("alert.rule.save")).hasSize(4);
    assertThat(audit("alert.rule.save").get(3))
        .startsWith("alice|default|alert-rule:by-six|replaced, kind RUN_DEADLINE");
    assertThat(audit("alert.rule.delete")).containsExactly("alice|default|alert-rule:ckpt|deleted");
    // another workspace sees none of them
    assertThat(platform.client(Actor.SYSTEM, "b").alerts().rules()).isEmpty();
  }

  @Test
  void everyBadRuleIsRefusedNamingItsFieldAndWritesNothing() {
    ops();
    Supplier<AlertRule.Builder> ok = () -> AlertRule.on("r", AlertKind.RUN_FAILED).channels("ops");
    refused(
        "name",
        () ->
            alerts.putRule(AlertRule.on("bad name", AlertKind.RUN_FAILED).channels("ops").build()));
    refused(
        "kind", () -> alerts.putRule(AlertRule.on("t", AlertKind.TEST).channels("ops").build()));
    refused("channels", () -> alerts.putRule(ok.get().channels().build()));
    InvalidRequestException missing =
        refused("channels", () -> alerts.putRule(ok.get().channels("ops", "ghost").build()));
    assertThat(missing.getMessage()).contains("ghost").contains("[ops]");
    refused("channels", () -> alerts.putRule(ok.get().channels("ops", "ops").build()));
    refused("workflow", () -> alerts.putRule(ok.get().workflow("etl daily").build()));
    refused("workflow", () -> alerts.putRule(ok.get().workflow("etl/%").build()));
    refused("task", () -> alerts.putRule(ok.get().task("load").build()));
    refused("label", () -> alerts.putRule(ok.get().label("gpu").build()));
    refused(
        "task",
        () ->
            alerts.putRule(
                AlertRule.on("r", AlertKind.TASK_FAILED).channels("ops").task("a b").build()));
    refused(
        "after",
        () -> alerts.putRule(AlertRule.on("r", AlertKind.RUN_OVERDUE).channels("ops").build()));
    refused(
        "after",
        () ->
            alerts.putRule(
                AlertRule.on("r", AlertKind.TASK_OVERDUE)
                    .channels("ops")
                    .after(Duration.ZERO)
                    .build()));
    refused("after", () -> alerts.putRule(ok.get().after(Duration.ofMinutes(5)).build()));
    refused(
        "deadline",
        () -> alerts.putRule(AlertRule.on("r", AlertKind.RUN_DEADLINE).channels("ops").build()));
    refused(
        "deadline",
        () -> alerts.putRule(AlertRule.on("r", AlertKind.TASK_DEADLINE).channels("ops").build()));
    refused(
        "task",
        () ->
            alerts.putRule(
                AlertRule.on("r", AlertKind.RUN_DEADLINE)
                    .channels("ops")
                    .deadline(LocalTime.NOON, ZoneId.of("UTC"))
                    .task("load")
                    .build()));
    refused(
        "deadline",
        () -> alerts.putRule(ok.get().deadline(LocalTime.NOON, ZoneId.of("UTC")).build()));
    refused(
        "threshold",
        () ->
            alerts.putRule(
                AlertRule.on("r", AlertKind.FLINK_CHECKPOINTS_FAILING)
                    .channels("ops")
                    .threshold(0)
                    .build()));
    refused("template", () -> alerts.putRule(ok.get().template("x".repeat(4001)).build()));
    refused("template", () -> alerts.putRule(ok.get().template("  ").build()));
    refused("rateLimit", () -> alerts.putRule(ok.get().rateLimit(Duration.ofSeconds(-1)).build()));
    refused("rateLimit", () -> alerts.putRule(ok.get().rateLimit(Duration.ofDays(2)).build()));
    // the limits themselves are allowed
    alerts.putRule(ok.get().template("x".repeat(4000)).rateLimit(Duration.ofDays(1)).build());
    assertThat(alerts.rules()).hasSize(1);
  }

  // --- silences

  @Test
  void silencesAreCheckedListedAndEndedByAnOperator() throws Exception {
    ops();
    alerts.putRule(AlertRule.on("failures", AlertKind.RUN_FAILED).channels("ops").build());
    Alerts operator = platform.client(Actor.user("olga"), "default").alerts();
    Instant now = Instant.now();
    Instant inADay = now.plus(Duration.ofDays(1));
    refused("rule", () -> operator.silence(new SilenceSpec("ghost", null, inADay, "why")));
    refused("rule", () -> operator.silence(new SilenceSpec("bad name", null, inADay, "why")));
    refused("workflow", () -> operator.silence(new SilenceSpec(null, "a b", inADay, "why")));
    refused(
        "endsAt", () -> operator.silence(new SilenceSpec(null, null, now.minusSeconds(1), "why")));
    refused(
        "endsAt",
        () -> operator.silence(new SilenceSpec(null, null, now.plus(Duration.ofDays(31)), "x")));
    refused("reason", () -> operator.silence(new SilenceSpec(null, null, inADay, " ")));
    refused(
        "reason", () -> operator.silence(new SilenceSpec(null, null, inADay, "r".repeat(1001))));

    Silence one = operator.silence(new SilenceSpec("failures", "etl_*", inADay, "maintenance"));
    Silence all = operator.silence(new SilenceSpec(null, null, inADay, "deploying"));
    assertThat(one.rule()).isEqualTo("failures");
    assertThat(one.workflow()).isEqualTo("etl_*");
    assertThat(one.createdBy()).isEqualTo("olga");
    assertThat(one.activeAt(now)).isTrue();
    assertThat(alerts.silences()).containsExactly(all, one);

    assertThatThrownBy(() -> platform.client(Actor.SYSTEM, "b").alerts().endSilence(one.id()))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> operator.endSilence(one.id() + 100))
        .isInstanceOf(NotFoundException.class);
    operator.endSilence(one.id());
    operator.endSilence(one.id()); // already ended: nothing changes
    Silence ended =
        alerts.silences().stream().filter(s -> s.id() == one.id()).findFirst().orElseThrow();
    assertThat(ended.endedBy()).isEqualTo("olga");
    assertThat(ended.activeAt(Instant.now())).isFalse();
    assertThat(audit("alert.silence")).hasSize(2);
    assertThat(audit("alert.silence").get(0))
        .isEqualTo(
            "olga|default|alert-silence:"
                + one.id()
                + "|rule failures, workflow etl_*, until "
                + inADay
                + ": maintenance");
    assertThat(audit("alert.silence.end"))
        .containsExactly("olga|default|alert-silence:" + one.id() + "|ended");
    // ended more than 7 days ago: no longer listed
    try (Connection c = platforms.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement("UPDATE t_alert_silence SET ends_at = ? WHERE id = ?")) {
      ps.setLong(1, now.minus(Duration.ofDays(8)).toEpochMilli());
      ps.setLong(2, one.id());
      ps.executeUpdate();
    }
    assertThat(alerts.silences()).containsExactly(all);
    assertThat(platform.client(Actor.SYSTEM, "b").alerts().silences()).isEmpty();
  }

  // --- test sends and the history

  @Test
  void aTestSendWritesOneTestAlertWithAPendingDeliveryToTheChannel() throws Exception {
    ops();
    alerts.putChannel(sink("other", Map.of("url", "https://hooks.example/other")));
    AlertRecord a = alerts.test("ops");
    assertThat(a.kind()).isEqualTo(AlertKind.TEST);
    assertThat(a.rule()).isEqualTo(StoredRule.TEST_NAME);
    assertThat(a.workspace()).isEqualTo("default");
    assertThat(a.title()).isEqualTo("[INFO] test alert from channel ops");
    assertThat(a.text()).contains("alice").contains("ops");
    assertThat(a.idempotencyKey()).startsWith("fp-");
    assertThat(a.deliveries())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.channel()).isEqualTo("ops");
              assertThat(d.state()).isEqualTo(DeliveryState.PENDING);
              assertThat(d.nextAt()).isNotNull();
              assertThat(d.tries()).isEmpty();
            });
    AlertRecord second = alerts.test("ops");
    assertThat(second.id()).isNotEqualTo(a.id());
    assertThat(second.idempotencyKey()).isNotEqualTo(a.idempotencyKey());
    assertThat(alerts.alert(a.id())).contains(a);
    assertThat(audit("alert.test"))
        .containsExactly(
            "alice|default|alert-channel:ops|test alert " + a.id(),
            "alice|default|alert-channel:ops|test alert " + second.id());
    String before = counts();
    assertThatThrownBy(() -> alerts.test("ghost")).isInstanceOf(NotFoundException.class);
    assertThat(counts()).isEqualTo(before);
  }

  @Test
  void theHistoryPagesNewestFirstWithDeliveriesAndTriesAndFilters() throws Exception {
    ops();
    alerts.putChannel(sink("mail", Map.of("url", "https://hooks.example/mail")));
    AlertRule rule =
        alerts.putRule(
            AlertRule.on("failures", AlertKind.RUN_FAILED).channels("ops", "mail").build());
    long ruleId = count("SELECT id FROM t_alert_rule WHERE name = 'failures'");
    StoredRule stored = new StoredRule(ruleId, "default", rule);
    Store store = new Store(platforms.dataSource());
    long t0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      String wf = i % 2 == 0 ? "etl" : "report";
      Occurrence o =
          new Occurrence("run:" + i, wf, (long) i, null, Map.of("run", "" + i, "workflow", wf));
      long at = t0 + i * 60_000L;
      ids.add(store.tx("write", m -> new AlertWriter().write(stored, o, at, m)).getAsLong());
    }
    // the same occurrence again writes nothing
    java.util.OptionalLong repeat =
        store.tx(
            "write",
            m ->
                new AlertWriter()
                    .write(stored, new Occurrence("run:0", "etl", 0L, null, Map.of()), t0, m));
    assertThat(repeat).isEmpty();
    // another workspace's alert
    platform.client(Actor.SYSTEM, "b").alerts().putChannel(sink("ops", Map.of("url", "https://b")));
    long foreign = platform.client(Actor.SYSTEM, "b").alerts().test("ops").id();

    // alert 3 was delivered to ops after a failed try
    long delivery =
        count(
            "SELECT id FROM t_alert_delivery WHERE alert_id = "
                + ids.get(3)
                + " AND channel_name = 'ops'");
    try (Connection c = platforms.dataSource().getConnection();
        var s = c.createStatement()) {
      s.executeUpdate(
          "UPDATE t_alert_delivery SET state = 'DELIVERED', attempts = 2, delivered_at = "
              + (t0 + 5000)
              + ", last_error = 'HTTP 502' WHERE id = "
              + delivery);
      s.executeUpdate(
          "INSERT INTO t_alert_attempt (delivery_id, attempt, owner, epoch, started_at, ended_at,"
              + " error) VALUES ("
              + delivery
              + ", 1, 'i1', 1, "
              + t0
              + ", "
              + (t0 + 100)
              + ", 'HTTP 502'), ("
              + delivery
              + ", 2, 'i2', 2, "
              + (t0 + 4000)
              + ", "
              + (t0 + 5000)
              + ", NULL)");
    }

    List<Long> seen = new ArrayList<>();
    Long cursor = null;
    int pages = 0;
    do {
      AlertPage page =
          alerts.history(new AlertQuery(null, null, null, null, null, null, cursor, 3));
      page.alerts().forEach(a -> seen.add(a.id()));
      page.alerts().forEach(a -> assertThat(a.deliveries()).hasSize(2));
      cursor = page.next();
      pages++;
    } while (cursor != null);
    assertThat(pages).isEqualTo(3);
    List<Long> newestFirst = new ArrayList<>(ids);
    java.util.Collections.reverse(newestFirst);
    assertThat(seen).containsExactlyElementsOf(newestFirst).doesNotContain(foreign);

    AlertRecord three = alerts.alert(ids.get(3)).orElseThrow();
    assertThat(three.workflow()).isEqualTo("report");
    assertThat(three.runId()).isEqualTo(3L);
    assertThat(three.facts()).containsEntry("run", "3").containsEntry("rule", "failures");
    assertThat(three.title()).isEqualTo("[CRITICAL] run 3 of report FAILED");
    assertThat(three.raisedAt()).isEqualTo(Instant.ofEpochMilli(t0 + 3 * 60_000L));
    Delivery toOps =
        three.deliveries().stream().filter(d -> d.channel().equals("ops")).findFirst().get();
    assertThat(toOps.state()).isEqualTo(DeliveryState.DELIVERED);
    assertThat(toOps.nextAt()).isNull();
    assertThat(toOps.deliveredAt()).isEqualTo(Instant.ofEpochMilli(t0 + 5000));
    assertThat(toOps.tries()).hasSize(2);
    assertThat(toOps.tries().get(0).ok()).isFalse();
    assertThat(toOps.tries().get(0).error()).isEqualTo("HTTP 502");
    assertThat(toOps.tries().get(1).ok()).isTrue();
    assertThat(toOps.tries().get(1).instance()).isEqualTo("i2");
    assertThat(toOps.tries().get(1).epoch()).isEqualTo(2);

    assertThat(
            history(
                new AlertQuery(null, null, DeliveryState.DELIVERED, null, null, null, null, 50)))
        .containsExactly(ids.get(3));
    assertThat(history(new AlertQuery(null, null, null, "etl", null, null, null, 50)))
        .containsExactly(ids.get(6), ids.get(4), ids.get(2), ids.get(0));
    Instant from = Instant.ofEpochMilli(t0 + 2 * 60_000L);
    Instant to = Instant.ofEpochMilli(t0 + 4 * 60_000L);
    assertThat(history(new AlertQuery(null, null, null, null, from, to, null, 50)))
        .containsExactly(ids.get(3), ids.get(2));
    assertThat(
            history(
                new AlertQuery(
                    "failures", AlertKind.RUN_FAILED, null, null, null, null, ids.get(1), 50)))
        .containsExactly(ids.get(0));
    assertThat(history(new AlertQuery(null, AlertKind.TEST, null, null, null, null, null, 50)))
        .isEmpty();
    assertThat(history(new AlertQuery("nope", null, null, null, null, null, null, 50))).isEmpty();
    assertThat(alerts.history(AlertQuery.latest(7)).next()).isNull();
    assertThat(alerts.history(AlertQuery.latest(6)).next()).isEqualTo(ids.get(1));

    refused("limit", () -> alerts.history(AlertQuery.latest(0)));
    refused("limit", () -> alerts.history(AlertQuery.latest(501)));
    refused("to", () -> alerts.history(new AlertQuery(null, null, null, null, to, from, null, 5)));
    assertThat(alerts.alert(foreign)).isEmpty();

    // a deleted rule's alerts stay in the history under its name
    alerts.deleteRule("failures");
    assertThat(history(new AlertQuery("failures", null, null, null, null, null, null, 50)))
        .hasSize(7);
  }

  private List<Long> history(AlertQuery q) {
    return alerts.history(q).alerts().stream().map(AlertRecord::id).toList();
  }
}
