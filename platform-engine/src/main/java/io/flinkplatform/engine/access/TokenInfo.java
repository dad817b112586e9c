package io.flinkplatform.engine.access;

import java.time.Instant;
import java.util.Optional;

/**
 * An API token as listed: never its secret.
 *
 * @param id its id (the part of the token after the prefix)
 * @param user whose it is
 * @param name what its owner calls it
 * @param created when it was created
 * @param expires when it stops working
 * @param revoked when it was revoked, if it was
 * @param lastUsed when it was last used (recorded at most once a minute), if it was
 */
public record TokenInfo(
    long id,
    String user,
    String name,
    Instant created,
    Instant expires,
    Optional<Instant> revoked,
    Optional<Instant> lastUsed) {

  /** Whether it authenticates at {@code now}: not revoked and not expired. */
  public boolean activeAt(Instant now) {
    return revoked.isEmpty() && now.isBefore(expires);
  }
}
