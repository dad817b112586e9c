package io.flinkplatform.tasks.sql;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * What {@link DatasourceRegistry#test} found.
 *
 * @param ok whether a connection was made and answered
 * @param database the database product and version, when connected (e.g. "MariaDB 11.4.5")
 * @param took how long the check took
 * @param message "connected", or what went wrong; never holds a password
 */
public record ConnectionCheck(boolean ok, String database, Duration took, String message) {
  public ConnectionCheck {
    requireNonNull(database, "database is null");
    requireNonNull(took, "took is null");
    requireNonNull(message, "message is null");
  }
}
