package io.flinkplatform.tasks.sql;

import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * ClickHouse over HTTP keeps session state ({@code SET}, {@code USE}, temporary tables) only in a
 * named server session: each request otherwise starts afresh, and servers before 21.x even refuse a
 * {@code SET} without one ("There is no session"). A script that changes session state therefore
 * runs on a connection of its own that carries a new session id, so its settings hold for the rest
 * of the script and end with it.
 *
 * <p>The legacy driver and the first generation of {@code com.clickhouse} drivers take the session
 * id as the driver property {@code session_id}; the second generation (0.8 and later) passes
 * properties prefixed {@code clickhouse_setting_} to the server as they are, and rejects unknown
 * ones. The driver's own {@link Driver#getPropertyInfo} list tells which kind it is.
 */
final class ClickHouseSessions {
  static final String SESSION_ID = "session_id";
  static final String SERVER_SETTING_SESSION_ID = "clickhouse_setting_session_id";

  /** ClickHouse's error code for a query that ran past {@code max_execution_time}. */
  private static final int TIMEOUT_EXCEEDED = 159;

  /** ClickHouse's error codes for statements that cannot succeed on a retry. */
  private static final List<Integer> NOT_RETRYABLE =
      List.of(
          46, // UNKNOWN_FUNCTION
          47, // UNKNOWN_IDENTIFIER
          60, // UNKNOWN_TABLE
          62, // SYNTAX_ERROR
          81, // UNKNOWN_DATABASE
          115, // UNKNOWN_SETTING
          516); // AUTHENTICATION_FAILED

  private ClickHouseSessions() {}

  /** Whether {@code statements} need a server session: one of them changes session state. */
  static boolean needed(DatasourceRow row, List<SqlStatement> statements) {
    return row.type() == DatasourceType.CLICKHOUSE
        && statements.stream().anyMatch(SqlStatement::changesSession);
  }

  /** The driver property that opens a new server session named {@code id} with {@code driver}. */
  static Map<String, String> properties(Driver driver, String url, String id) {
    return Map.of(acceptsSessionId(driver, url) ? SESSION_ID : SERVER_SETTING_SESSION_ID, id);
  }

  /** A new session id: unique, and recognisable in the server's {@code system.processes}. */
  static String newId(String taskId) {
    return "flink-platform-" + taskId.replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + UUID.randomUUID();
  }

  /** Whether {@code e} is ClickHouse's "timeout exceeded", which its drivers do not type. */
  static boolean timedOut(DatasourceRow row, SQLException e) {
    return row.type() == DatasourceType.CLICKHOUSE && e.getErrorCode() == TIMEOUT_EXCEEDED;
  }

  /** Whether {@code e} is a ClickHouse error no retry can mend (syntax, unknown names, access). */
  static boolean notRetryable(DatasourceRow row, SQLException e) {
    return row.type() == DatasourceType.CLICKHOUSE && NOT_RETRYABLE.contains(e.getErrorCode());
  }

  private static boolean acceptsSessionId(Driver driver, String url) {
    try {
      for (DriverPropertyInfo info : driver.getPropertyInfo(url, new Properties())) {
        if (SESSION_ID.equals(info.name)) {
          return true;
        }
      }
      return false;
    } catch (SQLException | RuntimeException e) {
      return true; // the older drivers' spelling
    }
  }
}
