package io.flinkplatform.tasks.sql;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * One HikariCP pool per datasource, keyed by workspace and name (two workspaces' {@code dw} never
 * share one), built on first use and rebuilt when the datasource's version changes. A replaced or
 * deleted datasource's pool is retired: it hands out no more connections, closes its idle ones at
 * once and is closed when its last connection comes back, so running statements are never cut off.
 * {@link #close()} closes every pool. Thread-safe.
 */
final class ConnectionPools implements AutoCloseable {
  private final Credentials credentials;
  private final boolean sharedMode;
  private final int maxPoolSize;
  private final Duration connectionTimeout;
  private final Map<Key, Pool> pools = new HashMap<>();
  private boolean closed;

  ConnectionPools(Credentials credentials, int maxPoolSize, Duration connectionTimeout) {
    this(credentials, maxPoolSize, connectionTimeout, false);
  }

  /**
   * @param sharedMode whether the platform runs in shared mode: no connection opens for a
   *     datasource {@link SharedModeDrivers} refuses
   */
  ConnectionPools(
      Credentials credentials, int maxPoolSize, Duration connectionTimeout, boolean sharedMode) {
    this.sharedMode = sharedMode;
    this.credentials = requireNonNull(credentials, "credentials is null");
    this.maxPoolSize = maxPoolSize;
    this.connectionTimeout = requireNonNull(connectionTimeout, "connectionTimeout is null");
  }

  /**
   * A connection to {@code row}'s database from its pool, built or rebuilt as needed.
   *
   * @throws MissingDriverException if the driver is not on the class path
   * @throws DatasourceException if the password cannot be had
   * @throws SQLException if no connection could be made within the connection timeout
   */
  Lease open(DatasourceRow row) throws SQLException {
    Pool pool;
    synchronized (this) {
      checkOpen();
      pool = pools.get(Key.of(row));
      if (pool != null && pool.version == row.version()) {
        pool.acquire();
      } else {
        pool = null;
      }
    }
    if (pool == null) {
      HikariDataSource built = build(row); // connects once, outside the lock: fails fast
      synchronized (this) {
        if (closed) {
          built.close();
          checkOpen();
        }
        pool = pools.get(Key.of(row));
        if (pool != null && pool.version == row.version()) {
          built.close(); // another task built it meanwhile
        } else {
          if (pool != null) {
            pool.retire();
          }
          pool = new Pool(row.version(), built);
          pools.put(Key.of(row), pool);
        }
        pool.acquire();
      }
    }
    try {
      return new Lease(pool, pool.dataSource.getConnection());
    } catch (SQLException | RuntimeException e) {
      pool.release();
      throw e;
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the sql plugin is stopped");
    }
  }

  /** Retires every pool but those of the datasources in {@code current} at their version. */
  synchronized void retireAllBut(Map<Key, Integer> current) {
    for (Key key : List.copyOf(pools.keySet())) {
      Pool pool = pools.get(key);
      if (!Integer.valueOf(pool.version).equals(current.get(key))) {
        pools.remove(key);
        pool.retire();
      }
    }
  }

  /**
   * The datasources this instance has a pool for: {@code name} in the default workspace, {@code
   * workspace/name} in others.
   */
  synchronized java.util.Set<String> names() {
    return pools.keySet().stream()
        .map(Key::toString)
        .collect(java.util.stream.Collectors.toUnmodifiableSet());
  }

  /**
   * A connection of its own to {@code row}'s database, outside the pool, made with {@code extra}
   * driver properties on top of the datasource's; closing the lease closes it.
   *
   * @throws MissingDriverException if the driver is not on the class path
   * @throws DatasourceException if the password cannot be had
   * @throws SQLException if the driver could not connect
   */
  Lease openUnpooled(DatasourceRow row, Map<String, String> extra) throws SQLException {
    synchronized (this) {
      checkOpen();
    }
    refuseInSharedMode(row);
    Driver driver = Drivers.driver(row);
    Properties properties = new Properties();
    properties.putAll(row.type().timeouts(row.url(), connectionTimeout, false));
    properties.putAll(credentials.properties(row));
    properties.putAll(extra);
    if (row.user() != null) {
      properties.setProperty("user", row.user());
    }
    String password = credentials.password(row);
    if (password != null) {
      properties.setProperty("password", password);
    }
    Connection connection = driver.connect(row.url(), properties);
    if (connection == null) {
      throw new MissingDriverException(
          "the driver "
              + driver.getClass().getName()
              + " does not accept the URL of datasource '"
              + row.qualified()
              + "'");
    }
    return new Lease(null, connection);
  }

  /** Retires the pool of {@code key}, if there is one. */
  synchronized void retire(Key key) {
    Pool pool = pools.remove(key);
    if (pool != null) {
      pool.retire();
    }
  }

  /** Closes every pool, cutting off connections still in use. Idempotent. */
  @Override
  public void close() {
    List<Pool> all;
    synchronized (this) {
      closed = true;
      all = new ArrayList<>(pools.values());
      pools.clear();
    }
    all.forEach(p -> p.dataSource.close());
  }

  /** In shared mode, refuses a datasource whose driver would load an author's code or files. */
  void refuseInSharedMode(DatasourceRow row) {
    if (sharedMode) {
      SharedModeDrivers.problem(row.name(), row.type(), row.url(), row.properties())
          .ifPresent(
              p -> {
                throw new DatasourceException(p);
              });
    }
  }

  /**
   * A pool for {@code row} that has made one connection: an unreachable database fails here at
   * once, with the driver's reason, instead of after the connection timeout.
   */
  private HikariDataSource build(DatasourceRow row) throws SQLException {
    refuseInSharedMode(row);
    HikariConfig config = new HikariConfig();
    config.setPoolName("sql-" + row.qualified());
    Properties properties = new Properties();
    properties.putAll(row.type().timeouts(row.url(), connectionTimeout, false));
    properties.putAll(credentials.properties(row));
    if (row.user() != null) {
      properties.setProperty("user", row.user());
    }
    String password = credentials.password(row);
    if (password != null) {
      properties.setProperty("password", password);
    }
    config.setDataSource(
        new io.flinkplatform.spi.UrlDataSource(Drivers.driver(row), row.url(), properties));
    config.setMaximumPoolSize(maxPoolSize);
    config.setMinimumIdle(0);
    config.setIdleTimeout(Duration.ofMinutes(2).toMillis());
    config.setConnectionTimeout(connectionTimeout.toMillis());
    config.setInitializationFailTimeout(1); // one connection now; its failure reaches the task
    try {
      return new HikariDataSource(config);
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      SQLException sql = cause instanceof SQLException s ? s : null;
      throw new SQLException(
          "cannot connect: " + Redaction.url(String.valueOf(rootMessage(cause))),
          sql != null ? sql.getSQLState() : "08001",
          sql != null ? sql.getErrorCode() : 0,
          cause);
    }
  }

  /** The message of the innermost cause (e.g. "Connection refused"), with its outer summary. */
  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String outer = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (root == e || root.getMessage() == null || outer.contains(root.getMessage())) {
      return outer;
    }
    return outer + " (cause: " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
  }

  /**
   * What a pool is kept under: a datasource's workspace and name.
   *
   * @param workspace the workspace the datasource belongs to
   * @param name its name there
   */
  record Key(String workspace, String name) {
    Key {
      requireNonNull(workspace, "workspace is null");
      requireNonNull(name, "name is null");
    }

    static Key of(DatasourceRow row) {
      return new Key(row.workspace(), row.name());
    }

    /** {@code name} in the default workspace, {@code workspace/name} in others. */
    @Override
    public String toString() {
      return io.flinkplatform.spi.Workspaces.DEFAULT.equals(workspace)
          ? name
          : workspace + "/" + name;
    }
  }

  /** A pool and the number of connections it has out. Its fields are guarded by itself. */
  private static final class Pool {
    final int version;
    final HikariDataSource dataSource;
    int users;
    boolean retired;

    Pool(int version, HikariDataSource dataSource) {
      this.version = version;
      this.dataSource = dataSource;
    }

    synchronized void acquire() {
      users++;
    }

    synchronized void retire() {
      retired = true;
      if (!dataSource.isClosed()) {
        dataSource.getHikariPoolMXBean().softEvictConnections(); // idle connections go now
      }
      closeIfUnused();
    }

    synchronized void release() {
      users--;
      closeIfUnused();
    }

    private void closeIfUnused() {
      if (retired && users <= 0 && !dataSource.isClosed()) {
        dataSource.close();
      }
    }
  }

  /**
   * A connection taken from a pool (or one of its own); closing it gives it back (or closes it).
   */
  static final class Lease implements AutoCloseable {
    private final Pool pool; // null for a connection outside any pool
    private final Connection connection;
    private boolean evict;

    private Lease(Pool pool, Connection connection) {
      this.pool = pool;
      this.connection = connection;
    }

    Connection connection() {
      return connection;
    }

    /** Closes the connection for good when it is given back, instead of pooling it again. */
    void evict() {
      evict = true;
    }

    @Override
    public void close() {
      if (pool == null) {
        try {
          connection.close();
        } catch (SQLException | RuntimeException e) {
          // nothing more to do with it
        }
        return;
      }
      try {
        if (evict) {
          pool.dataSource.evictConnection(connection);
        } else {
          connection.close();
        }
      } catch (SQLException | RuntimeException e) {
        // the connection is broken: the pool drops it
      } finally {
        pool.release();
      }
    }
  }
}
