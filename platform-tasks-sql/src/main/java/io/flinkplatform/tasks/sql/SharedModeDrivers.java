package io.flinkplatform.tasks.sql;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a datasource may ask of its JDBC driver in shared mode ({@code
 * Platform.builder().sharedMode(true)}), where no author's code may run in the platform's JVM: a
 * driver loads classes named in its URL or properties (socket factories, interceptors,
 * authentication plugins), deserializes what a server sends, reads local files for {@code LOAD DATA
 * LOCAL}, or takes credentials from the JVM's environment. A datasource of a {@code GENERIC} driver
 * (any class on the class path) and URL parameters or properties whose names mean one of those are
 * refused, at save and again before every connection.
 */
final class SharedModeDrivers {
  /** Names of URL parameters and driver properties that load code, files or credentials. */
  static final Pattern RISKY =
      Pattern.compile(
          "factory|interceptor|plugin|class|infile|deserializ|transform|provider|callback"
              + "|verifier|logger|credential|init|runscript|javaobject|extension");

  private SharedModeDrivers() {}

  /** Why the datasource may not be used in shared mode; empty if it may. */
  static Optional<String> problem(
      String name, DatasourceType type, String url, Map<String, String> properties) {
    if (type == DatasourceType.GENERIC) {
      return Optional.of(
          "datasource '"
              + name
              + "': type GENERIC is refused in shared mode (its driver is any class on the class"
              + " path); use MYSQL, MARIADB, TIDB, CLICKHOUSE, HIVE or POSTGRESQL");
    }
    int at = url.indexOf("//");
    int params = firstOf(url, at < 0 ? 0 : at + 2, '?', ';');
    if (params >= 0 && RISKY.matcher(url.substring(params).toLowerCase(Locale.ROOT)).find()) {
      return Optional.of(
          "datasource '"
              + name
              + "': field 'url' holds a parameter refused in shared mode (one that makes the"
              + " driver load classes, files or credentials: names with "
              + RISKY.pattern().replace("|", ", ")
              + ")");
    }
    for (String key : properties.keySet()) {
      if (RISKY.matcher(key.toLowerCase(Locale.ROOT)).find()) {
        return Optional.of(
            "datasource '"
                + name
                + "': field 'properties' holds '"
                + key
                + "', refused in shared mode (it makes the driver load classes, files or"
                + " credentials)");
      }
    }
    return Optional.empty();
  }

  private static int firstOf(String text, int from, char a, char b) {
    int i = text.indexOf(a, from);
    int j = text.indexOf(b, from);
    return i < 0 ? j : j < 0 ? i : Math.min(i, j);
  }
}
