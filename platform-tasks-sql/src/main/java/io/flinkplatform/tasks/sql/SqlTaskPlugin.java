package io.flinkplatform.tasks.sql;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.OptionType;
import io.flinkplatform.spi.PluginContext;
import io.flinkplatform.spi.TaskPlugin;
import io.flinkplatform.spi.TaskType;
import io.flinkplatform.spi.WorkspaceAccess;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offers the {@code sql} task type and the {@link DatasourceRegistry} it runs on. Listed in {@code
 * META-INF/services}. Stored passwords and secret driver properties are sealed with the platform's
 * key ring ({@code Platform.builder().keyRing}); password references ({@link Password#fromSecret})
 * are resolved by the platform's secret source, under its secret names ({@code
 * Platform.builder().secretSource}, {@code secretNames}).
 *
 * <p>Settings (all optional):
 *
 * <ul>
 *   <li>{@code sql.maxPoolSize}: connections per datasource and instance (default {@value
 *       #DEFAULT_MAX_POOL_SIZE});
 *   <li>{@code sql.connectionTimeout}: how long to wait for a connection (default 30s);
 *   <li>{@code sql.poolSweepInterval}: how often pools of datasources deleted or changed on other
 *       instances are closed (default 1 minute);
 *   <li>{@code sql.encryptionKey}: legacy, only to read passwords stored in the {@code v1:} format
 *       by earlier versions; at start they are sealed anew with the key ring.
 * </ul>
 *
 * <p>The setting {@code sql.secretNames} of earlier versions is refused at start: the platform's
 * {@code secretNames} is the one rule.
 */
public final class SqlTaskPlugin implements TaskPlugin {
  /** Default of {@code sql.maxPoolSize}. */
  public static final int DEFAULT_MAX_POOL_SIZE = 4;

  /** Default of {@code sql.connectionTimeout}. */
  public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(30);

  static final String MAX_POOL_SIZE = "sql.maxPoolSize";
  static final String CONNECTION_TIMEOUT = "sql.connectionTimeout";
  static final String POOL_SWEEP_INTERVAL = "sql.poolSweepInterval";
  static final String REMOVED_SECRET_NAMES = "sql.secretNames";

  /** Default of {@code sql.poolSweepInterval}. */
  public static final Duration DEFAULT_POOL_SWEEP_INTERVAL = Duration.ofMinutes(1);

  private static final Logger LOG = LoggerFactory.getLogger(SqlTaskPlugin.class);

  private final SqlTaskType sql = new SqlTaskType();
  private final List<TaskType> taskTypes = List.of(sql);
  private volatile DatasourceRegistry registry;
  private ConnectionPools pools;
  private java.util.concurrent.ScheduledExecutorService sweeper;

  /** A plugin whose password references are resolved by the platform's secret source. */
  public SqlTaskPlugin() {}

  @Override
  public String name() {
    return "sql";
  }

  @Override
  public List<TaskType> taskTypes() {
    return taskTypes;
  }

  @Override
  public Optional<String> schemaLocation() {
    return Optional.of("io/flinkplatform/tasks/sql/db");
  }

  /**
   * The datasource registry of the default workspace, as the system actor: what hosts used before
   * workspaces, unchanged.
   *
   * @throws IllegalStateException before the platform started the plugin, or after it stopped
   */
  public DatasourceRegistry datasources() {
    DatasourceRegistry current = registry;
    if (current == null) {
      throw new IllegalStateException(
          "the sql plugin is not started; start the platform it was added to first");
    }
    return current;
  }

  /**
   * The datasources of {@code workspace}, as {@code actor} sees them: reads need the role VIEWER
   * there, changes and connection tests EDITOR, and every change writes a row of the platform's
   * audit trail naming the actor.
   *
   * @throws IllegalArgumentException if {@code workspace} is not a workspace name or does not exist
   * @throws IllegalStateException before the platform started the plugin, or after it stopped
   */
  public DatasourceRegistry datasources(Actor actor, String workspace) {
    return datasources().as(actor, workspace);
  }

  @Override
  public synchronized void start(PluginContext context) {
    requireNonNull(context, "context is null");
    if (registry != null) {
      throw new IllegalStateException("the sql plugin is already started");
    }
    if (context.setting(REMOVED_SECRET_NAMES).isPresent()) {
      throw new IllegalArgumentException(
          REMOVED_SECRET_NAMES
              + " is no longer read: datasource password references follow the platform's secret"
              + " names, Platform.builder().secretNames(...) (now "
              + context.secretNames().patterns()
              + ")");
    }
    Optional<PasswordCipher> legacy =
        context.setting(PasswordCipher.SETTING).map(PasswordCipher::fromBase64);
    int maxPoolSize =
        context.setting(MAX_POOL_SIZE).map(SqlTaskPlugin::poolSize).orElse(DEFAULT_MAX_POOL_SIZE);
    Duration connectionTimeout =
        context
            .setting(CONNECTION_TIMEOUT)
            .map(OptionType::parseDuration)
            .orElse(DEFAULT_CONNECTION_TIMEOUT);
    if (connectionTimeout.compareTo(Duration.ofMillis(250)) < 0) {
      throw new IllegalArgumentException(
          CONNECTION_TIMEOUT + " must be at least 250ms but is " + connectionTimeout);
    }
    Duration sweepInterval =
        context
            .setting(POOL_SWEEP_INTERVAL)
            .map(OptionType::parseDuration)
            .orElse(DEFAULT_POOL_SWEEP_INTERVAL);
    if (sweepInterval.compareTo(Duration.ofMillis(100)) < 0) {
      throw new IllegalArgumentException(
          POOL_SWEEP_INTERVAL + " must be at least 100ms but is " + sweepInterval);
    }
    io.flinkplatform.spi.SecretNames names = context.secretNames();
    Credentials credentials = new Credentials(context.secrets(), legacy, context::secret, names);
    WorkspaceAccess access;
    try {
      access = context.access();
    } catch (UnsupportedOperationException e) {
      access = null; // a platform without workspaces: the system actor in the default one
      LOG.warn(
          "[{}] the platform gives no workspace access: datasources are the default workspace's"
              + " and changes are not audited",
          context.instanceName());
    }
    pools = new ConnectionPools(credentials, maxPoolSize, connectionTimeout, context.sharedMode());
    DatasourceRegistry started =
        new DatasourceRegistry(
            new DatasourceStore(context.database()),
            credentials,
            pools,
            context.clock(),
            connectionTimeout,
            access);
    int resealed = context.secrets().available() ? started.reencrypt() : 0;
    registry = started;
    sql.attach(started);
    sweeper =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sql-pool-sweeper-" + context.instanceName());
              t.setDaemon(true);
              return t;
            });
    sweeper.scheduleWithFixedDelay(
        () -> {
          try {
            started.sweepPools();
          } catch (RuntimeException e) {
            LOG.warn("[{}] sql pool sweep failed: {}", context.instanceName(), e.getMessage());
          }
        },
        sweepInterval.toMillis(),
        sweepInterval.toMillis(),
        java.util.concurrent.TimeUnit.MILLISECONDS);
    LOG.info(
        "[{}] sql plugin started: key ring {}{}, {} connection(s) per datasource, connection"
            + " timeout {}, secret names {}, {} datasource(s) sealed anew",
        context.instanceName(),
        context.secrets().available() ? "given" : "not given (stored passwords unavailable)",
        legacy.isPresent() ? " (and the legacy " + PasswordCipher.SETTING + ")" : "",
        maxPoolSize,
        connectionTimeout,
        names,
        resealed);
  }

  /**
   * The console's datasource operations below {@code /api/v1/workspaces/{ws}/}: {@code GET
   * datasources}, {@code GET datasources/{name}}, {@code POST datasources/{name}/test}, {@code POST
   * datasources}, {@code PUT datasources/{name}}, {@code DELETE datasources/{name}}; the roles are
   * those of {@link #datasources(Actor, String)}, and no answer holds a password.
   */
  @Override
  public List<io.flinkplatform.spi.ApiOperation> apiOperations() {
    return new DatasourceApi(this::datasources).operations();
  }

  @Override
  public synchronized void stop() {
    sql.attach(null);
    registry = null;
    if (sweeper != null) {
      sweeper.shutdownNow();
      sweeper = null;
    }
    if (pools != null) {
      pools.close();
      pools = null;
    }
  }

  private static int poolSize(String text) {
    try {
      int size = Integer.parseInt(text.trim());
      if (size >= 1 && size <= 1000) {
        return size;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        MAX_POOL_SIZE + " must be an integer from 1 to 1000 but is '" + text + "'");
  }

  @Override
  public String toString() {
    return "SqlTaskPlugin{started=" + (registry != null) + "}";
  }
}
