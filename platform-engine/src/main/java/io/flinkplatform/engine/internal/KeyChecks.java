package io.flinkplatform.engine.internal;

import io.flinkplatform.engine.KeyRing;
import io.flinkplatform.engine.PlatformException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Checks at start that each key of the host's {@link KeyRing} is the key recorded under its id in
 * {@code t_key_check}, recording the ids seen for the first time. Messages name key ids only.
 */
final class KeyChecks {
  private KeyChecks() {}

  static void verify(DataSource db, KeyRing ring, long now) {
    try (Connection c = db.getConnection()) {
      for (String id : ring.ids()) {
        String fingerprint = ring.fingerprint(id);
        Optional<String> recorded = recorded(c, id);
        if (recorded.isEmpty()) {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT IGNORE INTO t_key_check (key_id, fingerprint, created_at)"
                      + " VALUES (?, ?, ?)")) {
            s.setString(1, id);
            s.setString(2, fingerprint);
            s.setLong(3, now);
            s.executeUpdate();
          }
          recorded = recorded(c, id); // another instance may have recorded it first
        }
        if (!recorded.orElse(fingerprint).equals(fingerprint)) {
          throw new PlatformException(
              "the key '"
                  + id
                  + "' of the key ring is not the key recorded under that id in t_key_check"
                  + " (their fingerprints differ): give the key that sealed the stored values, or"
                  + " a new key under a new id");
        }
      }
    } catch (SQLException e) {
      throw new PlatformException("cannot check the key ring: " + e.getMessage(), e);
    }
  }

  private static Optional<String> recorded(Connection c, String id) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT fingerprint FROM t_key_check WHERE key_id = ?")) {
      s.setString(1, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }
}
