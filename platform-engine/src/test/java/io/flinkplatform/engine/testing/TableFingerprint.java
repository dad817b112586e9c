package io.flinkplatform.engine.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Row count and a checksum of every {@code t_} table of the test database, for tests that prove a
 * call wrote nothing: two equal fingerprints around it mean no row was added, changed or deleted.
 * Columns that move while nothing happens (leases, heartbeats, priority ageing) and the tables the
 * instances' own loops write at every pass are left out.
 */
public final class TableFingerprint {
  /** Columns that change while nothing happens: leases, heartbeats, priority ageing. */
  private static final Set<String> MOVING =
      Set.of("lease_until", "heartbeat_at", "aged", "neg_priority");

  /** Tables the instances' own loops write to at every pass. */
  private static final Set<String> LIVE = Set.of("t_worker", "t_housekeeping");

  private TableFingerprint() {}

  /** One line per table: {@code name=rows:checksum}. */
  public static String of(DataSource dataSource) throws SQLException {
    return of(dataSource, Set.of());
  }

  /**
   * {@link #of(DataSource)} leaving out {@code alsoMoving} too: columns a test's own calls move
   * (over HTTP, a token's or a session's last use).
   */
  public static String of(DataSource dataSource, Set<String> alsoMoving) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      Map<String, List<String>> columns = new LinkedHashMap<>();
      try (Statement s = c.createStatement();
          ResultSet r =
              s.executeQuery(
                  "SELECT table_name, column_name FROM information_schema.columns"
                      + " WHERE table_schema = DATABASE() AND table_name LIKE 't\\_%'"
                      + " ORDER BY table_name, ordinal_position")) {
        while (r.next()) {
          String table = r.getString(1).toLowerCase();
          String column = r.getString(2).toLowerCase();
          if (!LIVE.contains(table) && !MOVING.contains(column) && !alsoMoving.contains(column)) {
            columns.computeIfAbsent(table, t -> new ArrayList<>()).add(column);
          }
        }
      }
      StringBuilder out = new StringBuilder();
      try (Statement s = c.createStatement()) {
        for (Map.Entry<String, List<String>> t : columns.entrySet()) {
          String row =
              t.getValue().stream()
                  .map(col -> "IFNULL(`" + col + "`, '-')")
                  .collect(Collectors.joining(", ", "CONCAT_WS('|', ", ")"));
          try (ResultSet r =
              s.executeQuery(
                  "SELECT COUNT(*), COALESCE(SUM(CRC32(" + row + ")), 0) FROM " + t.getKey())) {
            r.next();
            out.append(t.getKey()).append('=').append(r.getLong(1)).append(':');
            out.append(r.getLong(2)).append('\n');
          }
        }
      }
      return out.toString();
    }
  }
}
