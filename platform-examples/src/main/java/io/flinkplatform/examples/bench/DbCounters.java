package io.flinkplatform.examples.bench;

import io.flinkplatform.examples.EmbeddedDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Server-wide commit counters, read before and after a scenario.
 *
 * @param comCommit {@code Com_commit}: COMMIT statements executed (explicit transactions)
 * @param rwCommits {@code trx_commits_insert_update} of {@code INNODB_METRICS}: committed InnoDB
 *     transactions that wrote, whether autocommit or explicit; -1 if the metric is unavailable
 */
public record DbCounters(long comCommit, long rwCommits) {

  /** Enables the InnoDB metric (it is off by default); needs the SUPER privilege. */
  public static void enable(EmbeddedDatabase db) {
    db.execute("SET GLOBAL innodb_monitor_enable = 'trx_commits_insert_update'");
  }

  public static DbCounters read(EmbeddedDatabase db) {
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      long comCommit;
      try (ResultSet r = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Com_commit'")) {
        comCommit = r.next() ? r.getLong(2) : -1;
      }
      long rw;
      try (ResultSet r =
          s.executeQuery(
              "SELECT `COUNT` FROM information_schema.INNODB_METRICS"
                  + " WHERE NAME = 'trx_commits_insert_update'")) {
        rw = r.next() ? r.getLong(1) : -1;
      }
      return new DbCounters(comCommit, rw);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the commit counters", e);
    }
  }

  /** The counts since {@code before}. */
  public DbCounters since(DbCounters before) {
    return new DbCounters(
        comCommit - before.comCommit,
        rwCommits < 0 || before.rwCommits < 0 ? -1 : rwCommits - before.rwCommits);
  }
}
