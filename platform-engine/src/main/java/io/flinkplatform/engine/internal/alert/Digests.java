package io.flinkplatform.engine.internal.alert;

import io.flinkplatform.engine.internal.common.Json;
import io.flinkplatform.engine.internal.store.AlertDeliveryRow;
import io.flinkplatform.engine.internal.store.AlertRow;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.internal.store.StoreMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The digests of alerts a rule's rate limit held back: when the window of a rule and group ended,
 * one alert sums up its held alerts and is delivered to their channels in their place.
 */
final class Digests {
  /** Held deliveries turned into digests per transaction at most. */
  static final int DIGEST_BATCH = 1000;

  /** Titles listed in a digest's text at most. */
  static final int DIGEST_TITLES = 50;

  private final Store store;

  Digests(Store store) {
    this.store = store;
  }

  /**
   * Sums up the held deliveries whose window ended: per rule and group, one digest alert with a
   * PENDING delivery per channel, the held rows DIGESTED; a group of a single alert goes back to
   * PENDING and is sent as it is. Returns how many groups it handled.
   */
  int digest(long now) {
    return store.tx(
        "write alert digests",
        m -> {
          Map<List<Object>, List<AlertDeliveryRow>> groups = new LinkedHashMap<>();
          Map<Long, AlertRow> alerts = new LinkedHashMap<>();
          for (AlertDeliveryRow d : m.lockDueHeldAlertDeliveries(now, DIGEST_BATCH)) {
            AlertRow a = alerts.computeIfAbsent(d.alertId, m::selectAlertById);
            groups.computeIfAbsent(List.of(a.ruleId, a.groupKey), k -> new ArrayList<>()).add(d);
          }
          for (List<AlertDeliveryRow> held : groups.values()) {
            digestGroup(m, held, alerts, now);
          }
          return groups.size();
        });
  }

  private void digestGroup(
      StoreMapper m, List<AlertDeliveryRow> held, Map<Long, AlertRow> alerts, long now) {
    List<Long> ids = held.stream().map(d -> d.id).toList();
    List<AlertRow> summed = held.stream().map(d -> alerts.get(d.alertId)).distinct().toList();
    if (summed.size() == 1) {
      m.releaseAlertDeliveries(ids, now);
      return;
    }
    AlertRow first = summed.get(0);
    long windowEnd = held.stream().mapToLong(d -> d.nextAt).max().orElse(now);
    AlertRow digest = new AlertRow();
    digest.workspace = first.workspace;
    digest.ruleId = first.ruleId;
    digest.ruleName = first.ruleName;
    digest.kind = first.kind;
    digest.severity = first.severity;
    digest.groupKey = first.groupKey;
    digest.dedupKey = Outbox.cut("digest:" + first.groupKey + ":" + windowEnd, 191);
    if (m.selectAlertByDedup(digest.ruleId, digest.dedupKey) != null) {
      // rows of the same window left for a later batch: a digest of their own
      digest.dedupKey =
          Outbox.cut("digest:" + first.groupKey + ":" + windowEnd + ":" + first.id, 191);
    }
    digest.idempotencyKey =
        AlertWriter.idempotencyKey(digest.workspace, digest.ruleId, digest.dedupKey);
    digest.title =
        Outbox.cut(
            "["
                + first.severity
                + "] "
                + summed.size()
                + " alerts of rule "
                + first.ruleName
                + (first.workflow == null ? "" : " for workflow " + first.workflow),
            AlertWriter.MAX_TITLE);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < summed.size() && i < DIGEST_TITLES; i++) {
      text.append(summed.get(i).title).append('\n');
    }
    if (summed.size() > DIGEST_TITLES) {
      text.append("... and ").append(summed.size() - DIGEST_TITLES).append(" more\n");
    }
    digest.text = text.toString();
    digest.link = first.link;
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("workspace", first.workspace);
    facts.put("rule", first.ruleName);
    facts.put("kind", first.kind);
    facts.put("severity", first.severity);
    if (first.workflow != null) {
      facts.put("workflow", first.workflow);
    }
    facts.put("count", Integer.toString(summed.size()));
    digest.facts = Json.write(facts);
    digest.workflow = first.workflow;
    digest.itemCount = summed.size();
    digest.raisedAt = now;
    if (m.insertAlertIgnore(digest) == 0) {
      throw new IllegalStateException("digest " + digest.dedupKey + " exists already");
    }
    Set<String> channels = new LinkedHashSet<>();
    held.forEach(d -> channels.add(d.channelName));
    m.insertAlertDeliveries(digest.id, digest.workspace, channels, now);
    m.markAlertDeliveriesDigested(ids, digest.id);
  }
}
