package io.flinkplatform.tasks.sql;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.spi.OptionType;
import io.flinkplatform.spi.PluginContext;
import io.flinkplatform.spi.TaskPlugin;
import io.flinkplatform.spi.TaskType;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offers the {@code sql} task type and the {@link DatasourceRegistry} it runs on. Listed in {@code
 * META-INF/services}; a host that wants its own {@link SecretSource} adds it in code instead:
 * {@code Platform.builder().plugin(new SqlTaskPlugin(mySecrets))}.
 *
 * <p>Settings (all optional):
 *
 * <ul>
 *   <li>{@code sql.encryptionKey}: Base64 of a 16, 24 or 32 byte AES key; needed to store passwords
 *       ({@link Password#of});
 *   <li>{@code sql.maxPoolSize}: connections per datasource and instance (default {@value
 *       #DEFAULT_MAX_POOL_SIZE});
 *   <li>{@code sql.connectionTimeout}: how long to wait for a connection (default 30s).
 * </ul>
 */
public final class SqlTaskPlugin implements TaskPlugin {
  /** Default of {@code sql.maxPoolSize}. */
  public static final int DEFAULT_MAX_POOL_SIZE = 4;

  /** Default of {@code sql.connectionTimeout}. */
  public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(30);

  static final String MAX_POOL_SIZE = "sql.maxPoolSize";
  static final String CONNECTION_TIMEOUT = "sql.connectionTimeout";
  private static final Logger LOG = LoggerFactory.getLogger(SqlTaskPlugin.class);

  private final SecretSource secrets;
  private final SqlTaskType sql = new SqlTaskType();
  private final List<TaskType> taskTypes = List.of(sql);
  private volatile DatasourceRegistry registry;
  private ConnectionPools pools;

  /** A plugin whose secret references name environment variables. */
  public SqlTaskPlugin() {
    this(SecretSource.environment());
  }

  /** A plugin that resolves secret references with {@code secrets}. */
  public SqlTaskPlugin(SecretSource secrets) {
    this.secrets = requireNonNull(secrets, "secrets is null");
  }

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
   * The datasource registry.
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

  @Override
  public synchronized void start(PluginContext context) {
    requireNonNull(context, "context is null");
    if (registry != null) {
      throw new IllegalStateException("the sql plugin is already started");
    }
    Optional<PasswordCipher> cipher =
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
    Credentials credentials = new Credentials(cipher, secrets);
    pools = new ConnectionPools(credentials, maxPoolSize, connectionTimeout);
    DatasourceRegistry started =
        new DatasourceRegistry(
            new DatasourceStore(context.database()),
            credentials,
            pools,
            context.clock(),
            connectionTimeout);
    registry = started;
    sql.attach(started);
    LOG.info(
        "[{}] sql plugin started: encryption key {}, {} connection(s) per datasource, connection"
            + " timeout {}",
        context.instanceName(),
        cipher.isPresent() ? "given" : "not given (stored passwords unavailable)",
        maxPoolSize,
        connectionTimeout);
  }

  @Override
  public synchronized void stop() {
    sql.attach(null);
    registry = null;
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
