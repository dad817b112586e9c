package io.flinkplatform.tasks.sql;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The kinds of databases a datasource can point at. Each knows the JDBC URL prefixes it accepts,
 * the driver class behind each prefix and the Maven artifact that holds it, and the {@link Dialect}
 * its scripts are split by.
 */
public enum DatasourceType {
  MYSQL(Dialect.MYSQL, true, Driver.MYSQL, Driver.MARIADB),
  MARIADB(Dialect.MYSQL, true, Driver.MARIADB, Driver.MYSQL),
  /** TiDB speaks the MySQL protocol: use MySQL Connector/J or the MariaDB driver. */
  TIDB(Dialect.MYSQL, true, Driver.MYSQL, Driver.MARIADB),
  /**
   * ClickHouse through {@code com.clickhouse:clickhouse-jdbc} or, when only that is on the class
   * path, the legacy {@code ru.yandex.clickhouse:clickhouse-jdbc} driver (servers before 20.7).
   */
  CLICKHOUSE(
      Dialect.CLICKHOUSE,
      false,
      Driver.CLICKHOUSE,
      Driver.CLICKHOUSE_SHORT,
      Driver.CLICKHOUSE_LEGACY),
  /** HiveServer2, and Kyuubi through the Hive or the Kyuubi driver. */
  HIVE(Dialect.HIVE, false, Driver.HIVE, Driver.KYUUBI),
  POSTGRESQL(Dialect.POSTGRESQL, true, Driver.POSTGRESQL),
  /** Any other database whose driver is on the class path; found by {@code DriverManager}. */
  GENERIC(Dialect.ANSI, true);

  /** A JDBC driver: the URL prefix it takes, its class, and the Maven artifact holding it. */
  enum Driver {
    MYSQL("jdbc:mysql:", "com.mysql.cj.jdbc.Driver", "com.mysql:mysql-connector-j"),
    MARIADB("jdbc:mariadb:", "org.mariadb.jdbc.Driver", "org.mariadb.jdbc:mariadb-java-client"),
    CLICKHOUSE(
        "jdbc:clickhouse:",
        "com.clickhouse.jdbc.ClickHouseDriver",
        "com.clickhouse:clickhouse-jdbc"),
    CLICKHOUSE_SHORT(
        "jdbc:ch:", "com.clickhouse.jdbc.ClickHouseDriver", "com.clickhouse:clickhouse-jdbc"),
    /** The driver that ClickHouse servers before 20.7 need; used only when the other is absent. */
    CLICKHOUSE_LEGACY(
        "jdbc:clickhouse:",
        "ru.yandex.clickhouse.ClickHouseDriver",
        "ru.yandex.clickhouse:clickhouse-jdbc"),
    HIVE("jdbc:hive2:", "org.apache.hive.jdbc.HiveDriver", "org.apache.hive:hive-jdbc"),
    KYUUBI(
        "jdbc:kyuubi:",
        "org.apache.kyuubi.jdbc.KyuubiHiveDriver",
        "org.apache.kyuubi:kyuubi-hive-jdbc-shaded"),
    POSTGRESQL("jdbc:postgresql:", "org.postgresql.Driver", "org.postgresql:postgresql");

    final String prefix;
    final String className;
    final String artifact;

    Driver(String prefix, String className, String artifact) {
      this.prefix = prefix;
      this.className = className;
      this.artifact = artifact;
    }
  }

  private final Dialect dialect;
  private final boolean transactions;
  private final List<Driver> drivers;

  DatasourceType(Dialect dialect, boolean transactions, Driver... drivers) {
    this.dialect = dialect;
    this.transactions = transactions;
    this.drivers = List.of(drivers);
  }

  /**
   * Reads a type name, in any case.
   *
   * @throws IllegalArgumentException naming the allowed types
   */
  public static DatasourceType parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException(
          "type '" + name + "' is not one of " + Arrays.toString(values()), e);
    }
  }

  /** Whether scripts can run in a transaction on this kind of database. */
  public boolean supportsTransactions() {
    return transactions;
  }

  /** The URL prefixes this type accepts; empty for {@link #GENERIC}, which takes any JDBC URL. */
  public List<String> urlPrefixes() {
    return drivers.stream().map(d -> d.prefix).toList();
  }

  Dialect dialect() {
    return dialect;
  }

  /**
   * The driver for {@code url}, if this type knows one: the preferred one of {@link #driversFor}.
   */
  Optional<Driver> driverFor(String url) {
    return driversFor(url).stream().findFirst();
  }

  /** Every driver this type knows for {@code url}, the preferred one first. */
  List<Driver> driversFor(String url) {
    return drivers.stream()
        .filter(d -> url.regionMatches(true, 0, d.prefix, 0, d.prefix.length()))
        .toList();
  }

  /**
   * Driver properties that bound connecting to {@code url} by {@code timeout} (and, with {@code
   * socket}, every read as well), for the drivers whose names for them are known: MySQL
   * Connector/J, MariaDB and PostgreSQL. The datasource's own properties override them.
   */
  Map<String, String> timeouts(String url, Duration timeout, boolean socket) {
    String ms = Long.toString(Math.max(1, timeout.toMillis()));
    String seconds = Long.toString(Math.max(1, (timeout.toMillis() + 999) / 1000));
    Map<String, String> properties = new TreeMap<>();
    if (startsWith(url, Driver.MYSQL.prefix) || startsWith(url, Driver.MARIADB.prefix)) {
      properties.put("connectTimeout", ms);
      if (socket) {
        properties.put("socketTimeout", ms);
      }
    } else if (startsWith(url, Driver.POSTGRESQL.prefix)) {
      properties.put("connectTimeout", seconds);
      properties.put("loginTimeout", seconds);
      if (socket) {
        properties.put("socketTimeout", seconds);
      }
    }
    return properties;
  }

  private static boolean startsWith(String url, String prefix) {
    return url.regionMatches(true, 0, prefix, 0, prefix.length());
  }

  /** Whether this type takes {@code url}. */
  boolean accepts(String url) {
    return this == GENERIC
        ? url.regionMatches(true, 0, "jdbc:", 0, 5) && url.length() > 5
        : driverFor(url).isPresent();
  }

  /** "jdbc:mysql: or jdbc:mariadb:" for messages. */
  String describePrefixes() {
    return this == GENERIC
        ? "jdbc:"
        : drivers.stream().map(d -> d.prefix).collect(Collectors.joining(" or "));
  }
}
