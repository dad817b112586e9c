package io.flinkplatform.engine.access;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.InvalidRequestException;
import java.time.Instant;
import java.util.Optional;

/**
 * A page of the audit trail, newest first: rows with an id below {@code beforeId} (all when empty),
 * filtered by actor, action and time. A client reads the rows of its own workspace; a platform
 * administrator may read any.
 *
 * @param actor only rows of this actor
 * @param action only rows of this action id
 * @param from only rows at or after this time
 * @param to only rows before this time
 * @param beforeId the id of the last row of the previous page
 * @param limit at most this many rows, 1 to {@value #MAX_LIMIT}
 */
public record AuditQuery(
    Optional<String> actor,
    Optional<String> action,
    Optional<Instant> from,
    Optional<Instant> to,
    Optional<Long> beforeId,
    int limit) {
  /** The largest page. */
  public static final int MAX_LIMIT = 1000;

  public AuditQuery {
    requireNonNull(actor, "actor is null");
    requireNonNull(action, "action is null");
    requireNonNull(from, "from is null");
    requireNonNull(to, "to is null");
    requireNonNull(beforeId, "beforeId is null");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidRequestException(
          "limit", "must be between 1 and " + MAX_LIMIT + ", was " + limit);
    }
  }

  /** The newest {@code limit} rows. */
  public static AuditQuery latest(int limit) {
    return new AuditQuery(
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        limit);
  }

  public AuditQuery byActor(String actor) {
    return new AuditQuery(Optional.of(actor), action, from, to, beforeId, limit);
  }

  public AuditQuery byAction(String action) {
    return new AuditQuery(actor, Optional.of(action), from, to, beforeId, limit);
  }

  public AuditQuery between(Instant from, Instant to) {
    return new AuditQuery(actor, action, Optional.of(from), Optional.of(to), beforeId, limit);
  }

  /** The page after the one whose last row had {@code id}. */
  public AuditQuery before(long id) {
    return new AuditQuery(actor, action, from, to, Optional.of(id), limit);
  }
}
