package io.flinkplatform.engine.testing;

import io.flinkplatform.engine.PlatformException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * A digest of the platform's progress as the database shows it: runs (state, times), attempts
 * (state, claim epoch, ready time, owner, external reference, end, release), schedules (fire times,
 * pause, quarantine, last skip) and backfills (state). Two equal digests around a {@link
 * ManualPlatform#tick()} mean the pass changed nothing that a further pass could act on. Lease
 * times and priority ageing are left out: they change at every pass without making progress.
 */
final class Fingerprint {
  private static final String SQL =
      "SELECT"
          + " (SELECT CONCAT(COUNT(*), ':', COALESCE(SUM(CRC32(CONCAT_WS('|', id, state,"
          + " IFNULL(started_at, '-'), IFNULL(ended_at, '-')))), 0)) FROM t_job_flow_run),"
          + " (SELECT CONCAT(COUNT(*), ':', COALESCE(SUM(CRC32(CONCAT_WS('|', id, state, epoch,"
          + " ready_at, IFNULL(owner, '-'), IFNULL(external_ref, '-'), IFNULL(ended_at, '-'),"
          + " IFNULL(released_at, '-')))), 0)) FROM t_job_run),"
          + " (SELECT CONCAT(COUNT(*), ':', COALESCE(SUM(CRC32(CONCAT_WS('|', id, paused,"
          + " IFNULL(next_fire_at, '-'), IFNULL(last_fire_at, '-'), IFNULL(quarantine, '-'),"
          + " IFNULL(quarantined_until, '-'), IFNULL(last_skip, '-')))), 0)) FROM t_schedule),"
          + " (SELECT CONCAT(COUNT(*), ':', COALESCE(SUM(CRC32(CONCAT_WS('|', id, state))), 0))"
          + " FROM t_backfill),"
          // alerts: delivery
          + " (SELECT CONCAT(COUNT(*), ':', COALESCE(SUM(CRC32(CONCAT_WS('|', id, state, epoch,"
          + " next_at))), 0)) FROM t_alert_delivery)";

  private final DataSource dataSource;

  Fingerprint(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** The digest now. */
  String read() {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(SQL)) {
      r.next();
      return r.getString(1)
          + "/"
          + r.getString(2)
          + "/"
          + r.getString(3)
          + "/"
          + r.getString(4)
          + "/"
          + r.getString(5);
    } catch (SQLException e) {
      throw new PlatformException("cannot read the platform's progress: " + e.getMessage(), e);
    }
  }
}
