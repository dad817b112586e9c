package io.flinkplatform.engine.internal.console;

import io.flinkplatform.engine.StoreException;
import io.flinkplatform.engine.console.ConsoleSettings;
import io.flinkplatform.spi.Jdbc;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Console sessions in {@code t_console_session}: created only by a login (a session id a browser
 * brings that this store did not issue is never accepted, so a planted cookie fixes nothing), found
 * by the SHA-256 of the cookie, ended by logout, idleness or age. Thread-safe.
 */
final class Sessions {
  /** A session's row is touched at most this often (ms), not on every request. */
  private static final long TOUCH_EVERY_MS = 60_000;

  private final Jdbc jdbc;
  private final Clock clock;
  private final long idleMs;
  private final long maxAgeMs;
  private final SecureRandom random = new SecureRandom();

  /** A live session: who, and the token state-changing requests must echo. */
  record Session(String idHash, String actor, String csrf, long seenAt) {}

  /** A new session: the cookie value (shown once, never stored) and the session. */
  record Issued(String cookie, Session session) {}

  Sessions(DataSource database, ConsoleSettings settings, Clock clock) {
    this.jdbc = new Jdbc(database, (what, e) -> new StoreException("could not " + what, e));
    this.clock = clock;
    this.idleMs = settings.sessionIdleTimeout().toMillis();
    this.maxAgeMs = settings.sessionMaxAge().toMillis();
  }

  Issued create(String actor, String address) {
    String cookie = token();
    String csrf = token();
    long now = clock.millis();
    String hash = hash(cookie);
    jdbc.update(
        "create a console session",
        "INSERT INTO t_console_session (id_hash, actor, csrf, address, created_at, seen_at,"
            + " expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        s -> {
          s.setString(1, hash);
          s.setString(2, actor);
          s.setString(3, csrf);
          s.setString(4, address);
          s.setLong(5, now);
          s.setLong(6, now);
          s.setLong(7, now + maxAgeMs);
        });
    return new Issued(cookie, new Session(hash, actor, csrf, now));
  }

  /** The live session of this cookie value, touched if it was not for a while. */
  Optional<Session> find(String cookie) {
    if (cookie == null || cookie.length() != 43) {
      return Optional.empty();
    }
    String hash = hash(cookie);
    long now = clock.millis();
    Optional<Session> found =
        jdbc.queryFirst(
            "read a console session",
            "SELECT actor, csrf, seen_at FROM t_console_session WHERE id_hash = ? AND"
                + " expires_at > ? AND seen_at > ?",
            s -> {
              s.setString(1, hash);
              s.setLong(2, now);
              s.setLong(3, now - idleMs);
            },
            r -> new Session(hash, r.getString(1), r.getString(2), r.getLong(3)));
    found
        .filter(f -> now - f.seenAt() >= TOUCH_EVERY_MS)
        .ifPresent(
            f ->
                jdbc.update(
                    "touch a console session",
                    "UPDATE t_console_session SET seen_at = ? WHERE id_hash = ?",
                    s -> {
                      s.setLong(1, now);
                      s.setString(2, hash);
                    }));
    return found;
  }

  void delete(Session session) {
    jdbc.update(
        "end a console session",
        "DELETE FROM t_console_session WHERE id_hash = ?",
        s -> s.setString(1, session.idHash()));
  }

  /** Deletes sessions that ended; returns how many. */
  int purge() {
    long now = clock.millis();
    return jdbc.update(
        "delete ended console sessions",
        "DELETE FROM t_console_session WHERE expires_at <= ? OR seen_at <= ?",
        s -> {
          s.setLong(1, now);
          s.setLong(2, now - idleMs);
        });
  }

  private String token() {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static String hash(String value) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** Compares two tokens in time independent of where they differ. */
  static boolean same(String a, String b) {
    return a != null
        && b != null
        && MessageDigest.isEqual(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
