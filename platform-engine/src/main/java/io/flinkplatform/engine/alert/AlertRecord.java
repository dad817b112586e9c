package io.flinkplatform.engine.alert;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One raised alert with its deliveries, as the history shows it.
 *
 * @param idempotencyKey what every send of it carries (see {@code AlertMessage})
 * @param runId the run it is about, or {@code null}
 * @param count 1, or how many alerts a digest sums up
 */
public record AlertRecord(
    long id,
    String workspace,
    String rule,
    AlertKind kind,
    Severity severity,
    String title,
    String text,
    String link,
    String idempotencyKey,
    Instant raisedAt,
    String workflow,
    Long runId,
    Map<String, String> facts,
    int count,
    List<Delivery> deliveries) {
  public AlertRecord {
    facts = Map.copyOf(facts);
    deliveries = List.copyOf(deliveries);
  }
}
