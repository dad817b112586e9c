package io.flinkplatform.tasks.sql;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Driver;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The datasources {@code sql} tasks connect to, kept in the platform database ({@code
 * t_datasource}) and shared by every instance. Get it from {@link SqlTaskPlugin#datasources()} once
 * the platform started. Thread-safe.
 *
 * <p>Passwords are stored encrypted ({@link Password#of}, AES-GCM with the {@code
 * sql.encryptionKey} setting) or as a reference to a secret ({@link Password#fromSecret}); they are
 * never returned, logged or shown. A change to a datasource rebuilds its connection pool on this
 * instance at once, and on other instances the next time a task uses it.
 */
public final class DatasourceRegistry {
  private final DatasourceStore store;
  private final Credentials credentials;
  private final ConnectionPools pools;
  private final Clock clock;
  private final Duration connectionTimeout;

  DatasourceRegistry(
      DatasourceStore store,
      Credentials credentials,
      ConnectionPools pools,
      Clock clock,
      Duration connectionTimeout) {
    this.store = requireNonNull(store, "store is null");
    this.credentials = requireNonNull(credentials, "credentials is null");
    this.pools = requireNonNull(pools, "pools is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.connectionTimeout = requireNonNull(connectionTimeout, "connectionTimeout is null");
  }

  /**
   * Registers a new datasource.
   *
   * @throws DatasourceException if one of that name exists
   * @throws IllegalStateException for a stored password without the {@code sql.encryptionKey}
   *     setting
   */
  public Datasource create(DatasourceSpec spec) {
    requireNonNull(spec, "spec is null");
    long now = clock.millis();
    DatasourceRow row = row(spec, 1, now, now);
    store.insert(row);
    return row.view();
  }

  /**
   * Replaces every field of an existing datasource (its password too) and raises its version.
   *
   * @throws DatasourceNotFoundException if there is none of that name
   */
  public Datasource update(DatasourceSpec spec) {
    requireNonNull(spec, "spec is null");
    DatasourceRow current = require(spec.name());
    DatasourceRow row = row(spec, current.version() + 1, current.createdAt(), clock.millis());
    if (!store.update(row)) {
      throw notFound(spec.name());
    }
    pools.retire(spec.name());
    return require(spec.name()).view();
  }

  /** Removes a datasource; false if there was none of that name. */
  public boolean delete(String name) {
    requireNonNull(name, "name is null");
    boolean deleted = store.delete(name);
    pools.retire(name);
    return deleted;
  }

  /** Every datasource, by name. */
  public List<Datasource> list() {
    return store.all().stream().map(DatasourceRow::view).toList();
  }

  public Optional<Datasource> get(String name) {
    requireNonNull(name, "name is null");
    return store.find(name).map(DatasourceRow::view);
  }

  /**
   * Connects to the datasource with a fresh connection (not from its pool) and asks it whether it
   * is valid. Never throws for a connection problem: the result says what went wrong.
   *
   * @throws DatasourceNotFoundException if there is none of that name
   */
  public ConnectionCheck test(String name) {
    DatasourceRow row = require(name);
    long start = System.nanoTime();
    // the driver is looked up through the caller's context class loader, as a task's would be
    ClassLoader caller = Thread.currentThread().getContextClassLoader();
    CompletableFuture<String> check =
        CompletableFuture.supplyAsync(
            () -> {
              Thread thread = Thread.currentThread();
              ClassLoader own = thread.getContextClassLoader();
              thread.setContextClassLoader(caller);
              try {
                return connect(row);
              } finally {
                thread.setContextClassLoader(own);
              }
            });
    try {
      String database = check.get(connectionTimeout.toMillis(), TimeUnit.MILLISECONDS);
      return new ConnectionCheck(true, database, since(start), "connected");
    } catch (TimeoutException e) {
      check.cancel(true);
      return new ConnectionCheck(
          false, "", since(start), "no answer within " + connectionTimeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() instanceof ConnectFailure f ? f.getCause() : e.getCause();
      return new ConnectionCheck(false, "", since(start), describe(cause));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new ConnectionCheck(false, "", since(start), "interrupted");
    }
  }

  /** The stored row of {@code name}, for tasks. */
  DatasourceRow require(String name) {
    return store.find(name).orElseThrow(() -> notFound(name));
  }

  ConnectionPools pools() {
    return pools;
  }

  private String connect(DatasourceRow row) {
    Driver driver = Drivers.driver(row);
    Properties properties = new Properties();
    properties.putAll(row.properties());
    if (row.user() != null) {
      properties.setProperty("user", row.user());
    }
    String password = credentials.password(row);
    if (password != null) {
      properties.setProperty("password", password);
    }
    try (Connection c = driver.connect(row.url(), properties)) {
      if (c == null) {
        throw new MissingDriverException(
            "the driver " + driver.getClass().getName() + " does not accept the URL");
      }
      if (!c.isValid((int) Math.max(1, connectionTimeout.toSeconds()))) {
        throw new ConnectFailure(new SQLException("the connection is not valid"));
      }
      DatabaseMetaData meta = c.getMetaData();
      return meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion();
    } catch (SQLException e) {
      throw new ConnectFailure(e);
    }
  }

  private static String describe(Throwable e) {
    if (e instanceof SQLException sql) {
      return "[SQLState " + sql.getSQLState() + "] " + sql.getMessage();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private DatasourceRow row(DatasourceSpec spec, int version, long createdAt, long updatedAt) {
    String encrypted = null;
    String secret = null;
    if (spec.password() instanceof Password.Stored stored) {
      encrypted = credentials.encrypt(spec.name(), stored.reveal());
    } else if (spec.password() instanceof Password.Secret reference) {
      secret = reference.reference();
    }
    return new DatasourceRow(
        spec.name(),
        spec.type(),
        spec.url(),
        spec.user(),
        spec.properties(),
        encrypted,
        secret,
        version,
        createdAt,
        updatedAt);
  }

  private DatasourceNotFoundException notFound(String name) {
    return new DatasourceNotFoundException(
        name, store.all().stream().map(DatasourceRow::name).toList());
  }

  private static Duration since(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** Carries a connection failure out of the checking thread. */
  private static final class ConnectFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ConnectFailure(SQLException cause) {
      super(cause);
    }
  }

  @Override
  public String toString() {
    return "DatasourceRegistry";
  }
}
