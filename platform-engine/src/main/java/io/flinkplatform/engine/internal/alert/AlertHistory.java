package io.flinkplatform.engine.internal.alert;

import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.engine.alert.AlertKind;
import io.flinkplatform.engine.alert.AlertPage;
import io.flinkplatform.engine.alert.AlertQuery;
import io.flinkplatform.engine.alert.AlertRecord;
import io.flinkplatform.engine.alert.Delivery;
import io.flinkplatform.engine.alert.DeliveryAttempt;
import io.flinkplatform.engine.alert.DeliveryState;
import io.flinkplatform.engine.alert.Severity;
import io.flinkplatform.engine.internal.common.Json;
import io.flinkplatform.engine.internal.store.AlertAttemptRow;
import io.flinkplatform.engine.internal.store.AlertDeliveryRow;
import io.flinkplatform.engine.internal.store.AlertRow;
import io.flinkplatform.engine.internal.store.StoreMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads alerts with their deliveries and tries: a page costs three statements (alerts, their
 * deliveries, their tries), whatever its size.
 */
final class AlertHistory {
  private AlertHistory() {}

  static AlertPage page(StoreMapper m, String workspace, AlertQuery q) {
    if (q.limit() < 1 || q.limit() > AlertQuery.MAX_LIMIT) {
      throw new InvalidRequestException(
          "limit", "limit must be 1 to " + AlertQuery.MAX_LIMIT + " but was " + q.limit());
    }
    if (q.from() != null && q.to() != null && q.to().isBefore(q.from())) {
      throw new InvalidRequestException(
          "to", "to (" + q.to() + ") is before from (" + q.from() + ")");
    }
    List<AlertRow> rows =
        m.selectAlerts(
            workspace,
            q.rule(),
            q.kind() == null ? null : q.kind().name(),
            q.state() == null ? null : q.state().name(),
            q.workflow(),
            q.from() == null ? null : q.from().toEpochMilli(),
            q.to() == null ? null : q.to().toEpochMilli(),
            q.before(),
            q.limit() + 1);
    Long next = null;
    if (rows.size() > q.limit()) {
      rows = rows.subList(0, q.limit());
      next = rows.get(rows.size() - 1).id;
    }
    return new AlertPage(records(m, rows), next);
  }

  /** The alerts of {@code rows}, in their order, with deliveries and tries. */
  static List<AlertRecord> records(StoreMapper m, List<AlertRow> rows) {
    if (rows.isEmpty()) {
      return List.of();
    }
    List<AlertDeliveryRow> deliveries =
        m.selectAlertDeliveriesOf(rows.stream().map(r -> r.id).toList());
    Map<Long, List<DeliveryAttempt>> tries = new HashMap<>();
    if (!deliveries.isEmpty()) {
      for (AlertAttemptRow a :
          m.selectAlertAttemptsOf(deliveries.stream().map(d -> d.id).toList())) {
        tries
            .computeIfAbsent(a.deliveryId, k -> new ArrayList<>())
            .add(
                new DeliveryAttempt(
                    a.attempt,
                    a.owner,
                    a.epoch,
                    Instant.ofEpochMilli(a.startedAt),
                    a.endedAt == null ? null : Instant.ofEpochMilli(a.endedAt),
                    a.error));
      }
    }
    Map<Long, List<Delivery>> byAlert = new HashMap<>();
    for (AlertDeliveryRow d : deliveries) {
      DeliveryState state = DeliveryState.valueOf(d.state);
      boolean waiting = state == DeliveryState.PENDING || state == DeliveryState.HELD;
      byAlert
          .computeIfAbsent(d.alertId, k -> new ArrayList<>())
          .add(
              new Delivery(
                  d.channelName,
                  state,
                  d.attempts,
                  waiting ? Instant.ofEpochMilli(d.nextAt) : null,
                  d.deliveredAt == null ? null : Instant.ofEpochMilli(d.deliveredAt),
                  d.lastError,
                  d.digestId,
                  tries.getOrDefault(d.id, List.of())));
    }
    List<AlertRecord> out = new ArrayList<>(rows.size());
    for (AlertRow r : rows) {
      out.add(
          new AlertRecord(
              r.id,
              r.workspace,
              r.ruleName,
              AlertKind.valueOf(r.kind),
              Severity.valueOf(r.severity),
              r.title,
              r.text,
              r.link,
              r.idempotencyKey,
              Instant.ofEpochMilli(r.raisedAt),
              r.workflow,
              r.runId,
              Json.stringMap(r.facts),
              r.itemCount,
              byAlert.getOrDefault(r.id, List.of())));
    }
    return out;
  }
}
