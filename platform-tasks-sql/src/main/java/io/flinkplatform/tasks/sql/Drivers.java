package io.flinkplatform.tasks.sql;

import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Finds the JDBC driver of a datasource, or says which Maven artifact would provide it. */
final class Drivers {
  private Drivers() {}

  /**
   * The driver class to load for {@code row}, if its type names one (the first of its drivers for
   * the URL that is on the class path); for {@link DatasourceType#GENERIC}, empty once a registered
   * driver accepts the URL.
   *
   * @throws MissingDriverException naming the driver class and the artifact to add
   */
  static Optional<String> driverClass(DatasourceRow row) {
    List<DatasourceType.Driver> known = row.type().driversFor(row.url());
    if (!known.isEmpty()) {
      for (DatasourceType.Driver candidate : known) {
        if (load(candidate.className).isPresent()) {
          return Optional.of(candidate.className);
        }
      }
      DatasourceType.Driver driver = known.get(0);
      throw new MissingDriverException(
          "datasource '"
              + row.name()
              + "' ("
              + row.type()
              + ") needs the JDBC driver "
              + driver.className
              + ", which is not on the class path; add the Maven artifact "
              + driver.artifact
              + " to the host application");
    }
    find(row);
    return Optional.empty();
  }

  /** A new instance of the driver for {@code row}. */
  static Driver driver(DatasourceRow row) {
    Optional<String> className = driverClass(row);
    if (className.isEmpty()) {
      return find(row);
    }
    try {
      return (Driver) load(className.get()).orElseThrow().getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new DatasourceException(
          "cannot create the JDBC driver " + className.get() + ": " + e.getMessage(), e);
    }
  }

  private static Driver find(DatasourceRow row) {
    try {
      return DriverManager.getDriver(row.url());
    } catch (SQLException e) {
      String scheme = row.url().replaceFirst("^(jdbc:[^:/;?]*:?).*$", "$1");
      throw new MissingDriverException(
          "datasource '"
              + row.name()
              + "' ("
              + row.type()
              + "): no JDBC driver on the class path accepts URLs starting with '"
              + scheme
              + "'; add the Maven artifact of that database's JDBC driver to the host"
              + " application");
    }
  }

  private static Optional<Class<?>> load(String className) {
    for (ClassLoader loader :
        new ClassLoader[] {
          Thread.currentThread().getContextClassLoader(), Drivers.class.getClassLoader()
        }) {
      if (loader == null) {
        continue;
      }
      try {
        return Optional.of(Class.forName(className, true, loader));
      } catch (ClassNotFoundException | LinkageError e) {
        // try the next loader
      }
    }
    return Optional.empty();
  }
}
