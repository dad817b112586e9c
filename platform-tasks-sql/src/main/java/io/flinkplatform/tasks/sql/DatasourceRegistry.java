package io.flinkplatform.tasks.sql;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.spi.AccessDeniedException;
import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.Role;
import io.flinkplatform.spi.WorkspaceAccess;
import io.flinkplatform.spi.Workspaces;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Driver;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The datasources {@code sql} tasks connect to, kept in the platform database ({@code
 * t_datasource}) and shared by every instance. Each datasource belongs to one workspace; a registry
 * is a view of one workspace as one actor: {@link SqlTaskPlugin#datasources()} is the system actor
 * in the default workspace (what hosts used before workspaces), {@link
 * SqlTaskPlugin#datasources(Actor, String)} any actor in any workspace. Thread-safe.
 *
 * <p>Reads ({@link #list()}, {@link #get}) need the role {@link Role#VIEWER} in the workspace;
 * changes and {@link #test} need {@link Role#EDITOR}. A refused call throws {@link
 * AccessDeniedException} and writes nothing. Every change writes one row of the platform's audit
 * trail in the transaction of the change: action {@code datasource.create}, {@code .update} or
 * {@code .delete}, target {@code datasource:<name>}, and a digest naming the fields that changed
 * and the new version, never a password, secret reference or sealed value.
 *
 * <p>Passwords are stored sealed ({@link Password#of}, with the platform's key ring, bound to the
 * datasource's workspace, name, type, URL, user and clear properties) or as a reference to a secret
 * ({@link Password#fromSecret}, restricted to the platform's secret names); driver properties whose
 * names look secret are sealed the same way. None is ever returned, logged or shown. A change to a
 * datasource rebuilds its connection pool on this instance at once, and on other instances the next
 * time a task uses it; pools of datasources deleted elsewhere are closed by a periodic sweep.
 */
public final class DatasourceRegistry {
  static final String CREATE = "datasource.create";
  static final String UPDATE = "datasource.update";
  static final String DELETE = "datasource.delete";
  static final String READ = "datasource.read";
  static final String TEST = "datasource.test";
  static final String REENCRYPT = "datasource.reencrypt";

  private static final Logger LOG = LoggerFactory.getLogger(DatasourceRegistry.class);
  private final DatasourceStore store;
  private final Credentials credentials;
  private final ConnectionPools pools;
  private final Clock clock;
  private final Duration connectionTimeout;
  private final WorkspaceAccess access; // null: the platform has no access control
  private final Actor actor;
  private final String workspace;

  DatasourceRegistry(
      DatasourceStore store,
      Credentials credentials,
      ConnectionPools pools,
      Clock clock,
      Duration connectionTimeout,
      WorkspaceAccess access) {
    this(
        store,
        credentials,
        pools,
        clock,
        connectionTimeout,
        access,
        Actor.SYSTEM,
        Workspaces.DEFAULT);
  }

  private DatasourceRegistry(
      DatasourceStore store,
      Credentials credentials,
      ConnectionPools pools,
      Clock clock,
      Duration connectionTimeout,
      WorkspaceAccess access,
      Actor actor,
      String workspace) {
    this.store = requireNonNull(store, "store is null");
    this.credentials = requireNonNull(credentials, "credentials is null");
    this.pools = requireNonNull(pools, "pools is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.connectionTimeout = requireNonNull(connectionTimeout, "connectionTimeout is null");
    this.access = access;
    this.actor = requireNonNull(actor, "actor is null");
    this.workspace = requireNonNull(workspace, "workspace is null");
  }

  /**
   * The same registry seen by {@code actor} in {@code workspace}.
   *
   * @throws IllegalArgumentException if {@code workspace} is not a workspace name
   * @throws IllegalStateException for a user actor on a platform without access control
   */
  DatasourceRegistry as(Actor actor, String workspace) {
    requireNonNull(actor, "actor is null");
    requireNonNull(workspace, "workspace is null");
    Workspaces.problem(workspace)
        .ifPresent(
            p -> {
              throw new IllegalArgumentException("workspace: " + p);
            });
    if (access != null && !access.exists(workspace)) {
      throw new IllegalArgumentException("workspace: '" + workspace + "' does not exist");
    }
    if (access == null && !actor.isSystem()) {
      throw new IllegalStateException(
          "the platform that started the sql plugin has no workspace access control, so only the"
              + " system actor may use its datasources");
    }
    return new DatasourceRegistry(
        store, credentials, pools, clock, connectionTimeout, access, actor, workspace);
  }

  /** The workspace this registry shows. */
  public String workspace() {
    return workspace;
  }

  /** The actor this registry acts as. */
  public Actor actor() {
    return actor;
  }

  /**
   * Registers a new datasource in this registry's workspace. Needs {@link Role#EDITOR}.
   *
   * @throws AccessDeniedException if the actor may not; nothing is written
   * @throws DatasourceException if the workspace has one of that name
   * @throws IllegalStateException for a stored password without a key ring
   */
  public Datasource create(DatasourceSpec spec) {
    requireNonNull(spec, "spec is null");
    require(Role.EDITOR, CREATE);
    long now = clock.millis();
    DatasourceRow row = row(spec, 1, now, now);
    store.insert(
        row,
        actor.name(),
        audit(
            CREATE,
            row.name(),
            "created: type "
                + row.type()
                + ", url, "
                + (row.user() == null ? "" : "user, ")
                + (row.properties().isEmpty()
                    ? ""
                    : "properties " + new TreeSet<>(row.properties().keySet()) + ", ")
                + "password "
                + row.view().password()
                + "; version 1"));
    return row.view();
  }

  /**
   * Replaces every field of an existing datasource of this registry's workspace (its password too)
   * and raises its version. Needs {@link Role#EDITOR}.
   *
   * @throws AccessDeniedException if the actor may not; nothing is written
   * @throws DatasourceNotFoundException if there is none of that name
   */
  public Datasource update(DatasourceSpec spec) {
    requireNonNull(spec, "spec is null");
    require(Role.EDITOR, UPDATE);
    DatasourceRow current = require(spec.name());
    DatasourceRow row = row(spec, current.version() + 1, current.createdAt(), clock.millis());
    List<String> changed = changes(current, row, spec);
    if (!store.update(
        row,
        current.version(),
        actor.name(),
        audit(
            UPDATE,
            row.name(),
            "changed: "
                + (changed.isEmpty() ? "nothing" : String.join(", ", changed))
                + "; version "
                + row.version()))) {
      if (store.find(workspace, spec.name()).isPresent()) {
        throw new DatasourceException(
            "datasource '"
                + spec.name()
                + "' of workspace '"
                + workspace
                + "' was changed meanwhile; read it again and repeat the update");
      }
      throw notFound(spec.name());
    }
    pools.retire(ConnectionPools.Key.of(row));
    return require(spec.name()).view();
  }

  /**
   * Removes a datasource of this registry's workspace; false if there was none of that name. Needs
   * {@link Role#EDITOR}.
   *
   * @throws AccessDeniedException if the actor may not; nothing is written
   */
  public boolean delete(String name) {
    requireNonNull(name, "name is null");
    require(Role.EDITOR, DELETE);
    Optional<DatasourceRow> current = store.find(workspace, name);
    boolean deleted =
        store.delete(
            workspace,
            name,
            audit(
                DELETE,
                name,
                "deleted" + current.map(r -> "; it was at version " + r.version()).orElse("")));
    pools.retire(new ConnectionPools.Key(workspace, name));
    return deleted;
  }

  /** Every datasource of this registry's workspace, by name. Needs {@link Role#VIEWER}. */
  public List<Datasource> list() {
    require(Role.VIEWER, READ);
    return store.all(workspace).stream().map(DatasourceRow::view).toList();
  }

  /** A datasource of this registry's workspace. Needs {@link Role#VIEWER}. */
  public Optional<Datasource> get(String name) {
    requireNonNull(name, "name is null");
    require(Role.VIEWER, READ);
    return store.find(workspace, name).map(DatasourceRow::view);
  }

  /**
   * Connects to the datasource with a fresh connection (not from its pool) and asks it whether it
   * is valid. Never throws for a connection problem: the result says what went wrong. Bounded by
   * the connection timeout: the connect runs on a thread of its own with the driver's connect and
   * socket timeouts set to it (where the type knows them and the datasource does not set them), so
   * a server that accepts and never answers ends the thread too. Needs {@link Role#EDITOR}: it
   * sends the datasource's password to its server.
   *
   * @throws AccessDeniedException if the actor may not
   * @throws DatasourceNotFoundException if there is none of that name
   */
  public ConnectionCheck test(String name) {
    requireNonNull(name, "name is null");
    require(Role.EDITOR, TEST);
    DatasourceRow row = require(name);
    long start = System.nanoTime();
    CompletableFuture<String> check = new CompletableFuture<>();
    AtomicLong failedAt = new AtomicLong();
    Thread thread =
        new Thread(
            () -> {
              try {
                check.complete(connect(row));
              } catch (Throwable e) {
                failedAt.set(System.nanoTime()); // before the completion, which publishes it
                check.completeExceptionally(e);
              }
            },
            "sql-test-" + row.qualified());
    thread.setDaemon(true);
    // the driver is looked up through the caller's context class loader, as a task's would be
    thread.setContextClassLoader(Thread.currentThread().getContextClassLoader());
    thread.start();
    try {
      String database = check.get(connectionTimeout.toMillis(), TimeUnit.MILLISECONDS);
      return new ConnectionCheck(true, database, since(start), "connected");
    } catch (TimeoutException e) {
      thread.interrupt();
      return new ConnectionCheck(false, "", since(start), noAnswer());
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() instanceof ConnectFailure f ? f.getCause() : e.getCause();
      // a failure after the deadline is one the wait above would have reported as no answer: the
      // driver's own timeouts are the connection timeout too, and which ends first is a race
      if (failedAt.get() - start >= connectionTimeout.toNanos()) {
        return new ConnectionCheck(false, "", since(start), noAnswer());
      }
      return new ConnectionCheck(false, "", since(start), describe(cause));
    } catch (InterruptedException e) {
      thread.interrupt();
      Thread.currentThread().interrupt();
      return new ConnectionCheck(false, "", since(start), "interrupted");
    }
  }

  /**
   * Seals stored secrets anew under the key ring's active key: passwords and secret-looking
   * properties written by older versions (a {@code v1:} password, properties in clear) or sealed
   * under an older key. As the system actor it covers every workspace (the plugin runs it so at
   * start, and the host after a key rotation); as a user it covers this registry's workspace and
   * needs {@link Role#ADMIN}. A datasource changed meanwhile is left to its change. Each datasource
   * sealed anew writes an audit row ({@code datasource.reencrypt}).
   *
   * @return how many datasources were sealed anew
   * @throws IllegalStateException if the platform has no key ring
   */
  public int reencrypt() {
    require(Role.ADMIN, REENCRYPT);
    if (!credentials.canSeal()) {
      throw new IllegalStateException(Credentials.NO_KEY_RING);
    }
    int resealed = 0;
    for (DatasourceRow row : actor.isSystem() ? store.everywhere() : store.all(workspace)) {
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
        if (store.reseal(
            sealed,
            audit(
                row.workspace(),
                REENCRYPT,
                row.name(),
                "sealed anew under the active key; version " + row.version()))) {
          resealed++;
        }
      } catch (DatasourceException e) {
        LOG.warn("datasource '{}' could not be re-encrypted: {}", row.qualified(), e.getMessage());
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

  /** The stored row of {@code name} in this registry's workspace, without a role check. */
  DatasourceRow require(String name) {
    return resolve(new Workspaces.Ref(workspace, name));
  }

  /** The stored row {@code ref} names, without any check: for tasks, after {@link #check}. */
  DatasourceRow resolve(Workspaces.Ref ref) {
    Optional<DatasourceRow> row = store.find(ref.workspace(), ref.name());
    if (row.isEmpty()) {
      pools.retire(new ConnectionPools.Key(ref.workspace(), ref.name())); // deleted elsewhere
      // the names of the workspace's datasources, but never another workspace's
      throw new DatasourceNotFoundException(
          ref.name(),
          ref.workspace(),
          ref.isIn(workspace)
              ? store.all(ref.workspace()).stream().map(DatasourceRow::name).toList()
              : List.of());
    }
    return row.get();
  }

  /**
   * Reads the reference {@code reference} a task of {@code from} makes ({@code name} or {@code
   * workspace/name}) and checks that {@code from} may use it.
   *
   * @throws IllegalArgumentException if it is no reference
   * @throws DatasourceNotGrantedException if it names another workspace's datasource that workspace
   *     has not granted to {@code from}
   */
  Workspaces.Ref check(String from, String reference) {
    Workspaces.Ref ref = Workspaces.resolve(from, reference);
    if (!ref.isIn(from)
        && (access == null || !access.granted(from, WorkspaceAccess.DATASOURCE, ref))) {
      throw new DatasourceNotGrantedException(from, ref);
    }
    return ref;
  }

  ConnectionPools pools() {
    return pools;
  }

  private void require(Role role, String action) {
    if (access != null) {
      access.require(actor, workspace, role, action);
    } else if (!actor.isSystem()) {
      throw new IllegalStateException("no workspace access control: only the system may");
    }
  }

  private DatasourceStore.Audit audit(String action, String name, String digest) {
    return audit(workspace, action, name, digest);
  }

  private DatasourceStore.Audit audit(String in, String action, String name, String digest) {
    if (access == null) {
      return DatasourceStore.Audit.NONE;
    }
    return c -> access.audit(c, actor, in, action, "datasource:" + name, digest);
  }

  /**
   * The names of the fields {@code next} changes in {@code current}: never a value, as values may
   * be secrets. A password given anew counts as changed unless it opens to the same text.
   */
  private List<String> changes(DatasourceRow current, DatasourceRow next, DatasourceSpec spec) {
    List<String> changed = new ArrayList<>();
    if (current.type() != next.type()) {
      changed.add("type");
    }
    if (!current.url().equals(next.url())) {
      changed.add("url");
    }
    if (!Objects.equals(current.user(), next.user())) {
      changed.add("user");
    }
    Map<String, String> before;
    try {
      before = credentials.properties(current);
    } catch (RuntimeException e) {
      before = null; // cannot be opened: every secret property counts as changed
    }
    Map<String, String> after = spec.properties();
    Set<String> names = new TreeSet<>(current.properties().keySet());
    names.addAll(next.properties().keySet());
    List<String> properties = new ArrayList<>();
    for (String name : names) {
      String old = before == null ? null : before.get(name);
      if (old == null || !old.equals(after.get(name))) {
        properties.add(name);
      }
    }
    if (!properties.isEmpty()) {
      changed.add("properties " + properties);
    }
    if (passwordChanged(current, spec.password())) {
      changed.add("password");
    }
    return changed;
  }

  private boolean passwordChanged(DatasourceRow current, Password password) {
    if (password instanceof Password.Secret secret) {
      return current.passwordEncrypted() != null
          || !secret.reference().equals(current.passwordSecret());
    }
    if (password instanceof Password.Stored stored) {
      if (current.passwordEncrypted() == null) {
        return true;
      }
      try {
        String old = credentials.password(current);
        return old == null
            || !MessageDigest.isEqual(
                old.getBytes(StandardCharsets.UTF_8),
                stored.reveal().getBytes(StandardCharsets.UTF_8));
      } catch (RuntimeException e) {
        return true;
      }
    }
    return current.passwordEncrypted() != null || current.passwordSecret() != null;
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

  private String noAnswer() {
    return "no answer within " + connectionTimeout.toMillis() + " ms";
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
            workspace,
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
    pools.refuseInSharedMode(plain); // before anything is stored
    String encrypted =
        spec.password() instanceof Password.Stored stored
            ? credentials.sealPassword(plain, stored.reveal())
            : null;
    return plain.withStored(encrypted, credentials.sealProperties(plain, spec.properties()));
  }

  DatasourceNotFoundException notFound(String name) {
    return new DatasourceNotFoundException(
        name, workspace, store.all(workspace).stream().map(DatasourceRow::name).toList());
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
    return "DatasourceRegistry{workspace=" + workspace + ", actor=" + actor.name() + "}";
  }
}
