package io.flinkplatform.engine.internal.alert;

import io.flinkplatform.engine.alert.AlertRule;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Stores rules and reads raised alerts with plain JDBC, for tests of the raising side that do not
 * go through {@code PlatformClient.alerts()}.
 */
final class AlertRules {
  private AlertRules() {}

  /** Stores {@code rule} in {@code workspace} as {@code putRule} would. */
  static void put(DataSource ds, String workspace, AlertRule rule) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO t_alert_rule (workspace, name, kind, spec, enabled, updated_by,"
                    + " updated_at) VALUES (?, ?, ?, ?, ?, 'test', 0)")) {
      s.setString(1, workspace);
      s.setString(2, rule.name());
      s.setString(3, rule.kind().name());
      s.setString(4, RuleJson.write(rule));
      s.setBoolean(5, rule.enabled());
      s.executeUpdate();
    }
  }

  /** One raised alert as stored. */
  record Raised(String rule, String dedupKey, String title, String facts, int deliveries) {}

  /** Every raised alert, oldest first. */
  static List<Raised> raised(DataSource ds) throws SQLException {
    List<Raised> out = new ArrayList<>();
    io.flinkplatform.engine.testing.Sql.query(
        ds,
        "SELECT a.rule_name, a.dedup_key, a.title, a.facts,"
            + " (SELECT COUNT(*) FROM t_alert_delivery d WHERE d.alert_id = a.id)"
            + " FROM t_alert a ORDER BY a.id",
        rs ->
            out.add(
                new Raised(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getInt(5))));
    return out;
  }

  /** The dedup keys of the raised alerts, as {@code rule=key}, oldest first. */
  static List<String> keys(DataSource ds) throws SQLException {
    return raised(ds).stream().map(r -> r.rule() + "=" + r.dedupKey()).toList();
  }
}
