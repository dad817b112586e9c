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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The datasources {@code sql} tasks connect to, kept in the platform database ({@code
 * t_datasource}) and shared by every instance. Get it from {@link SqlTaskPlugin#datasources()} once
 * the platform started. Thread-safe.
 *
 * <p>Passwords are stored sealed ({@link Password#of}, with the platform's key ring, bound to the
 * datasource's name, type, URL, user and clear properties) or as a reference to a secret ({@link
 * Password#fromSecret}, restricted to the platform's secret names); driver properties whose names
 * look secret are sealed the same way. None is ever returned, logged or shown. A change to a
 * datasource rebuilds its connection pool on this instance at once, and on other instances the next
 * time a task uses it; pools of datasources deleted elsewhere are closed by a periodic sweep.
 */
public final class DatasourceRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(DatasourceRegistry.class);
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
   * is valid. Never throws for a connection problem: the result says what went wrong. Bounded by
   * the connection timeout: the connect runs on a thread of its own with the driver's connect and
   * socket timeouts set to it (where the type knows them and the datasource does not set them), so
   * a server that accepts and never answers ends the thread too.
   *
   * @throws DatasourceNotFoundException if there is none of that name
   */
  public ConnectionCheck test(String name) {
    DatasourceRow row = require(name);
    long start = System.nanoTime();
    CompletableFuture<String> check = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                check.complete(connect(row));
              } catch (Throwable e) {
                check.completeExceptionally(e);
              }
            },
            "sql-test-" + row.name());
    thread.setDaemon(true);
    // the driver is looked up through the caller's context class loader, as a task's would be
    thread.setContextClassLoader(Thread.currentThread().getContextClassLoader());
    thread.start();
    try {
      String database = check.get(connectionTimeout.toMillis(), TimeUnit.MILLISECONDS);
      return new ConnectionCheck(true, database, since(start), "connected");
    } catch (TimeoutException e) {
      thread.interrupt();
      return new ConnectionCheck(
          false, "", since(start), "no answer within " + connectionTimeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() instanceof ConnectFailure f ? f.getCause() : e.getCause();
      return new ConnectionCheck(false, "", since(start), describe(cause));
    } catch (InterruptedException e) {
      thread.interrupt();
      Thread.currentThread().interrupt();
      return new ConnectionCheck(false, "", since(start), "interrupted");
    }
  }

  /**
   * Seals every stored secret of every datasource under the key ring's active key: passwords and
   * secret-looking properties written by older versions (a {@code v1:} password, properties in
   * clear) or sealed under an older key. Run at plugin start, and by the host after a key rotation;
   * a datasource changed meanwhile is left to its change.
   *
   * @return how many datasources were sealed anew
   * @throws IllegalStateException if the platform has no key ring
   */
  public int reencrypt() {
    if (!credentials.canSeal()) {
      throw new IllegalStateException(Credentials.NO_KEY_RING);
    }
    int resealed = 0;
    for (DatasourceRow row : store.all()) {
      if (credentials.current(row)) {
        continue;
      }
      try {
        String password = row.passwordEncrypted() == null ? null : credentials.password(row);
        DatasourceRow plain = row.withStored(null, credentials.properties(row));
        DatasourceRow sealed =
            row.withStored(
                password == null ? null : credentials.sealPassword(plain, password),
                credentials.sealProperties(plain, plain.properties()));
        if (store.reseal(sealed)) {
          resealed++;
        }
      } catch (DatasourceException e) {
        LOG.warn("datasource '{}' could not be re-encrypted: {}", row.name(), e.getMessage());
      }
    }
    return resealed;
  }

  /**
   * Retires the pools of datasources deleted or changed on any instance; the plugin runs it
   * periodically (setting {@code sql.poolSweepInterval}).
   */
  void sweepPools() {
    pools.retireAllBut(store.versions());
  }

  /** The stored row of {@code name}, for tasks. */
  DatasourceRow require(String name) {
    Optional<DatasourceRow> row = store.find(name);
    if (row.isEmpty()) {
      pools.retire(name); // deleted on another instance
      throw notFound(name);
    }
    return row.get();
  }

  ConnectionPools pools() {
    return pools;
  }

  private String connect(DatasourceRow row) {
    Driver driver = Drivers.driver(row);
    Properties properties = new Properties();
    properties.putAll(row.type().timeouts(row.url(), connectionTimeout, true));
    properties.putAll(credentials.properties(row));
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
    String secret = null;
    if (spec.password() instanceof Password.Secret reference) {
      secret = reference.reference();
      credentials.checkSecretName(spec.name(), secret);
    }
    DatasourceRow plain =
        new DatasourceRow(
            spec.name(),
            spec.type(),
            spec.url(),
            spec.user(),
            spec.properties(),
            null,
            secret,
            version,
            createdAt,
            updatedAt);
    String encrypted =
        spec.password() instanceof Password.Stored stored
            ? credentials.sealPassword(plain, stored.reveal())
            : null;
    return plain.withStored(encrypted, credentials.sealProperties(plain, spec.properties()));
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
