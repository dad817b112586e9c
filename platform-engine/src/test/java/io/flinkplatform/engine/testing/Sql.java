package io.flinkplatform.engine.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** Plain JDBC for tests that read the platform's tables (or side tables) back. */
public final class Sql {
  private Sql() {}

  /** Reads one row of a result. */
  public interface RowReader {
    void read(ResultSet rs) throws SQLException;
  }

  /** The first column of the first row, as a long (a count, a time). */
  public static long single(DataSource ds, String sql) {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      if (!rs.next()) {
        throw new IllegalStateException("no row: " + sql);
      }
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  /** Hands every row of the result to {@code reader}. */
  public static void query(DataSource ds, String sql, RowReader reader) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        reader.read(rs);
      }
    }
  }

  /** Runs one statement that returns no rows. */
  public static void update(DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
