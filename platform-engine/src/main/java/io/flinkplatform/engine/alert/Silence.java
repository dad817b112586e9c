package io.flinkplatform.engine.alert;

import java.time.Instant;

/** A stored silence; {@code endedBy} is set when someone ended it before {@code endsAt}. */
public record Silence(
    long id,
    String rule,
    String workflow,
    Instant endsAt,
    String reason,
    String createdBy,
    Instant createdAt,
    String endedBy) {

  /** Whether it holds alerts back at {@code now}. */
  public boolean activeAt(Instant now) {
    return endedBy == null && now.isBefore(endsAt);
  }
}
