package io.flinkplatform.engine;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;
import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.access.Authorizer;
import io.flinkplatform.engine.event.PlatformListener;
import io.flinkplatform.engine.internal.Engine;
import io.flinkplatform.engine.storage.BlobStore;
import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.ParameterNames;
import io.flinkplatform.spi.SecretNames;
import io.flinkplatform.spi.TaskPlugin;
import io.flinkplatform.spi.Workspaces;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The entry point: one instance of the platform in this JVM. Any number of instances, in any number
 * of JVMs, may share one database; none is special.
 *
 * <pre>{@code
 * Platform platform = Platform.builder()
 *     .jdbcUrl("jdbc:mysql://db:3306/platform", "platform", secret)
 *     .instanceName("etl-1")
 *     .build();
 * platform.start();
 * long runId = platform.client().trigger("daily_etl");
 * platform.stop();
 * }</pre>
 */
public final class Platform implements AutoCloseable {
  public static final int DEFAULT_WORKER_THREADS = 16;
  public static final int DEFAULT_CLAIM_BATCH_SIZE = 128;

  /**
   * Attempts claimed ahead per worker thread unless {@code claimAhead} is set, at most one claim
   * batch: 128 for the default 16 threads.
   */
  public static final int DEFAULT_CLAIM_AHEAD_PER_WORKER_THREAD = 8;

  /** The most attempts an instance may claim ahead of free worker threads. */
  public static final int MAX_CLAIM_AHEAD = 10_000;

  public static final int DEFAULT_COMPLETION_BATCH_SIZE = 512;
  public static final int DEFAULT_POOL_SIZE = 10;
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(500);
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
  public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(4);
  public static final Duration DEFAULT_SHUTDOWN_GRACE_PERIOD = Duration.ofSeconds(10);
  public static final Duration DEFAULT_PRIORITY_AGEING = Duration.ofMinutes(1);
  public static final Duration DEFAULT_CANCEL_GRACE_PERIOD = Duration.ofSeconds(30);
  public static final int DEFAULT_EVENT_QUEUE_CAPACITY = 10_000;
  public static final Path DEFAULT_LOG_DIRECTORY =
      Path.of(System.getProperty("java.io.tmpdir"), "flink-platform", "logs");

  /**
   * Where uploaded resources are kept unless {@link Builder#resourceStore} says otherwise: a
   * directory of this host, with a subdirectory per installation ({@code installation-<digest of
   * the installation id>}). Fine for one instance; give every instance of a cluster the same shared
   * store.
   */
  public static final Path DEFAULT_RESOURCE_DIRECTORY =
      Path.of(System.getProperty("java.io.tmpdir"), "flink-platform", "resources");

  /** Where an instance keeps the resources its tasks staged, by SHA-256 of their content. */
  public static final Path DEFAULT_RESOURCE_CACHE_DIRECTORY =
      Path.of(System.getProperty("java.io.tmpdir"), "flink-platform", "resource-cache");

  /** The cap on one attempt's task log: 64 MiB. */
  public static final long DEFAULT_MAX_TASK_LOG_SIZE = 64L << 20;

  /** How often a running attempt's new log lines are shipped to the shared log store: 5 s. */
  public static final Duration DEFAULT_LOG_SHIP_INTERVAL = Duration.ofSeconds(5);

  /** The smallest cap {@link Builder#maxTaskLogSize} takes: 1 KiB. */
  public static final long MIN_MAX_TASK_LOG_SIZE = 1024;

  /** Retention is off by default: nothing is deleted unless asked for. */
  public static final Duration DEFAULT_RETENTION = Duration.ZERO;

  public static final Duration DEFAULT_HOUSEKEEPING_INTERVAL = Duration.ofMinutes(10);

  private final Engine engine;

  private Platform(PlatformSettings settings) {
    this.engine = new Engine(settings);
  }

  /** A builder with every option at its default; see docs/configuration.md. */
  public static Builder builder() {
    return new Builder();
  }

  /** Applies the schema (per {@link SchemaMode}), registers this instance and starts its loops. */
  public Platform start() {
    engine.start();
    return this;
  }

  /**
   * Stops claiming, hands unstarted attempts back at once, waits up to the shutdown grace period
   * for running ones, hands back what is still running, and releases the database. Idempotent.
   */
  public void stop() {
    engine.stop();
  }

  /** The same as {@link #stop()}, for try-with-resources. */
  @Override
  public void close() {
    stop();
  }

  /**
   * The client of the host itself: the {@link Actor#SYSTEM system} actor (allowed everything) in
   * the {@link Workspaces#DEFAULT default} workspace; usable once started.
   */
  public PlatformClient client() {
    return engine.client(Actor.SYSTEM, Workspaces.DEFAULT);
  }

  /**
   * A client that acts as {@code actor} in {@code workspace}: every call checks the actor's role
   * there ({@link io.flinkplatform.engine.access.Action}) and throws {@link
   * io.flinkplatform.spi.AccessDeniedException} otherwise; names resolve in that workspace and runs
   * of other workspaces are not found; every change is written to the audit trail as the actor's.
   * Cheap: make one per request.
   *
   * @throws InvalidRequestException if {@code workspace} is not a workspace name
   */
  public PlatformClient client(Actor actor, String workspace) {
    return engine.client(actor, workspace);
  }

  /**
   * What only a platform administrator may do (create workspaces, grant labels, read every
   * workspace's audit trail), as {@code actor}; usable once started.
   */
  public io.flinkplatform.engine.access.PlatformAdmin admin(Actor actor) {
    return engine.admin(actor);
  }

  /**
   * The built-in store of users and API tokens as {@code actor} manages it (a platform
   * administrator every user, a user its own password and tokens); usable once started. Hosts with
   * a directory of their own plug an {@link Authorizer} instead and need not use it.
   */
  public io.flinkplatform.engine.access.Users users(Actor actor) {
    return engine.users(actor);
  }

  /**
   * Logs in with a password or an API token of the built-in store, turning a request into an {@link
   * Actor}; needs no actor itself. Usable once started.
   */
  public io.flinkplatform.engine.access.Authenticator authenticator() {
    return engine.authenticator();
  }

  /**
   * Where this instance serves the console ({@link Builder#console}), e.g. {@code
   * http://127.0.0.1:8080/}, once started; empty if it serves none.
   */
  public Optional<java.net.URI> consoleUri() {
    return engine.consoleUri();
  }

  /** The machinery, for the engine's own tests. */
  Engine engine() {
    return engine;
  }

  /** The effective settings this platform was built with. */
  public PlatformSettings settings() {
    return engine.settings();
  }

  /**
   * This instance's health: the database answers, every background loop completes its turns, the
   * lease is renewed (see {@link Health}); DOWN before start and after stop. Asks the database, for
   * up to {@link Health#DATABASE_TIMEOUT_SECONDS} s. See docs/operations.md, "Health".
   */
  public Health health() {
    return engine.health();
  }

  /**
   * This instance's counters (dropped events, abandoned attempts); usable once started, also after
   * stop.
   */
  public InstanceStats stats() {
    return engine.stats();
  }

  /** Builds a {@link Platform}; {@link #build()} validates and freezes the settings. */
  public static final class Builder {
    private Authorizer authorizer;
    private boolean sharedMode;
    private io.flinkplatform.engine.console.ConsoleSettings console;
    private DataSource dataSource;
    private String jdbcUrl;
    private String jdbcUser;
    private String jdbcPassword;
    private int poolSize = DEFAULT_POOL_SIZE;
    private String instanceName;
    private final Set<String> labels = new LinkedHashSet<>();
    private int workerThreads = DEFAULT_WORKER_THREADS;
    private int claimBatchSize = DEFAULT_CLAIM_BATCH_SIZE;
    private int claimAhead = -1; // unset: see defaultClaimAhead()
    private int completionBatchSize = DEFAULT_COMPLETION_BATCH_SIZE;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
    private Duration leaseDuration = DEFAULT_LEASE_DURATION;
    private Duration shutdownGracePeriod = DEFAULT_SHUTDOWN_GRACE_PERIOD;
    private Duration priorityAgeing = DEFAULT_PRIORITY_AGEING;
    private Path logDirectory = DEFAULT_LOG_DIRECTORY;
    private io.flinkplatform.engine.storage.BlobStore resourceStore;
    private Path resourceCacheDirectory = DEFAULT_RESOURCE_CACHE_DIRECTORY;
    private long maxTaskLogSize = DEFAULT_MAX_TASK_LOG_SIZE;
    private BlobStore sharedLogStore;
    private Duration logShipInterval = DEFAULT_LOG_SHIP_INTERVAL;
    private Duration retention = DEFAULT_RETENTION;
    private Duration housekeepingInterval = DEFAULT_HOUSEKEEPING_INTERVAL;
    private SchemaMode schemaMode = SchemaMode.MIGRATE;
    private boolean discoverPlugins = true;
    private final List<TaskPlugin> plugins = new ArrayList<>();
    private final Map<String, String> pluginSettings = new LinkedHashMap<>();
    private final Map<String, String> globalParameters = new LinkedHashMap<>();
    private final List<PlatformListener> listeners = new ArrayList<>();
    private Clock clock = Clock.systemUTC();
    private Duration cancelGracePeriod = DEFAULT_CANCEL_GRACE_PERIOD;
    private int eventQueueCapacity = DEFAULT_EVENT_QUEUE_CAPACITY;
    private Supplier<KeyRing> keyRing;
    private Function<String, Optional<String>> secretSource;
    private SecretNames secretNames = SecretNames.defaults();
    private io.flinkplatform.engine.alert.AlertSettings alerts =
        io.flinkplatform.engine.alert.AlertSettings.defaults();
    private Object meterRegistry;

    private Builder() {}

    /**
     * How this instance raises and delivers alerts (docs/alerts.md); {@link
     * io.flinkplatform.engine.alert.AlertSettings#defaults()} by default.
     */
    public Builder alerts(io.flinkplatform.engine.alert.AlertSettings alerts) {
      this.alerts = requireNonNull(alerts, "alerts is null");
      return this;
    }

    /**
     * Where the platform's Micrometer meters go (docs/operations.md, "Metrics"): runs, attempts,
     * queue depth, claims, commits, fire lag, leases, outages, alert deliveries, health. None by
     * default. Micrometer is an optional dependency: a host that never calls this needs none. The
     * parameter is typed {@code Object} so that this builder names no Micrometer type (reflection
     * over it, as frameworks do, then works without Micrometer on the class path).
     *
     * @param registry an {@code io.micrometer.core.instrument.MeterRegistry}
     * @throws IllegalArgumentException if it is not one
     */
    public Builder meterRegistry(Object registry) {
      requireNonNull(registry, "meterRegistry is null");
      checkArgument(
          isMeterRegistry(registry.getClass()),
          "meterRegistry must be an io.micrometer.core.instrument.MeterRegistry but was %s",
          registry.getClass().getName());
      this.meterRegistry = registry;
      return this;
    }

    private static boolean isMeterRegistry(Class<?> type) {
      for (Class<?> c = type; c != null; c = c.getSuperclass()) {
        if (c.getName().equals("io.micrometer.core.instrument.MeterRegistry")) {
          return true;
        }
      }
      return false;
    }

    /** The host's own pool; the platform never closes it. */
    public Builder dataSource(DataSource dataSource) {
      this.dataSource = requireNonNull(dataSource, "dataSource is null");
      return this;
    }

    /** A MySQL/MariaDB URL; the platform owns a HikariCP pool for it and closes it on stop. */
    public Builder jdbcUrl(String url, String user, String password) {
      this.jdbcUrl = requireNonNull(url, "url is null");
      this.jdbcUser = requireNonNull(user, "user is null");
      this.jdbcPassword = password == null ? "" : password;
      return this;
    }

    /** Connections in the owned pool (default {@value #DEFAULT_POOL_SIZE}; at least 2). */
    public Builder poolSize(int poolSize) {
      checkArgument(poolSize >= 2, "poolSize must be >= 2 but was %s", poolSize);
      this.poolSize = poolSize;
      return this;
    }

    /** A name for logs and {@code t_worker} (default: host name and process id). */
    public Builder instanceName(String instanceName) {
      this.instanceName = requireNonNull(instanceName, "instanceName is null");
      return this;
    }

    /**
     * Labels of this instance (e.g. {@code has-yarn-conf}), recorded in {@code t_worker}. Only
     * instances with a task's label ({@code TaskSpec.label}) claim the task.
     */
    public Builder labels(String... labels) {
      for (String l : labels) {
        requireNonNull(l, "label is null");
        checkArgument(
            l.matches("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}"),
            "label '%s' must match [A-Za-z0-9][A-Za-z0-9_.:-]{0,63}",
            l);
        this.labels.add(l);
      }
      return this;
    }

    /**
     * Attempts of synchronous task types run at once (default {@value #DEFAULT_WORKER_THREADS}). 0
     * makes a client-only instance that deploys, triggers and reads but never claims work.
     */
    public Builder workerThreads(int workerThreads) {
      checkArgument(workerThreads >= 0, "workerThreads must be >= 0 but was %s", workerThreads);
      this.workerThreads = workerThreads;
      return this;
    }

    /**
     * Ready attempts claimed in one transaction at most (default {@value
     * #DEFAULT_CLAIM_BATCH_SIZE}; at least 1).
     */
    public Builder claimBatchSize(int claimBatchSize) {
      checkArgument(claimBatchSize >= 1, "claimBatchSize must be >= 1 but was %s", claimBatchSize);
      this.claimBatchSize = claimBatchSize;
      return this;
    }

    /**
     * Attempts the dispatcher may claim ahead of free worker threads (default {@value
     * #DEFAULT_CLAIM_AHEAD_PER_WORKER_THREAD} per worker thread, at most {@code claimBatchSize}; 0
     * claims only for free threads). They wait here, held under this instance's lease, and the next
     * one starts the moment a worker thread is free, without a round trip to the database; the
     * dispatcher tops the queue up in batches once it ran below half. The queue holds no more than
     * the attempts that ended here within about one {@link #pollInterval}, so that long tasks are
     * not hoarded by one instance.
     */
    public Builder claimAhead(int claimAhead) {
      checkArgument(
          claimAhead >= 0 && claimAhead <= MAX_CLAIM_AHEAD,
          "claimAhead must be between 0 and %s but was %s",
          MAX_CLAIM_AHEAD,
          claimAhead);
      this.claimAhead = claimAhead;
      return this;
    }

    /**
     * Outcomes committed in one transaction at most (default {@value
     * #DEFAULT_COMPLETION_BATCH_SIZE}; at least 1).
     */
    public Builder completionBatchSize(int completionBatchSize) {
      checkArgument(
          completionBatchSize >= 1,
          "completionBatchSize must be >= 1 but was %s",
          completionBatchSize);
      this.completionBatchSize = completionBatchSize;
      return this;
    }

    /**
     * How often an idle instance looks for ready attempts made by other instances (default 500 ms;
     * positive).
     */
    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = positive(pollInterval, "pollInterval");
      return this;
    }

    /**
     * How often leases are renewed and expired ones reaped (default 1 s; positive, at most half the
     * lease duration).
     */
    public Builder heartbeatInterval(Duration heartbeatInterval) {
      this.heartbeatInterval = positive(heartbeatInterval, "heartbeatInterval");
      return this;
    }

    /**
     * How long a claim stays valid without renewal (default 4 s; at least twice the heartbeat
     * interval). An instance that dies is detected after at most lease + heartbeat interval.
     */
    public Builder leaseDuration(Duration leaseDuration) {
      this.leaseDuration = positive(leaseDuration, "leaseDuration");
      return this;
    }

    /**
     * A ready task gains one priority step for each period it waits (default 1 minute; not
     * negative), so low priorities are never starved; {@code Duration.ZERO} turns ageing off.
     */
    public Builder priorityAgeing(Duration priorityAgeing) {
      requireNonNull(priorityAgeing, "priorityAgeing is null");
      checkArgument(!priorityAgeing.isNegative(), "priorityAgeing must not be negative");
      this.priorityAgeing = priorityAgeing;
      return this;
    }

    /**
     * How long {@link Platform#stop()} waits for running attempts before it cancels them and hands
     * them back (default 10 s); {@code Duration.ZERO} hands them back at once.
     */
    public Builder shutdownGracePeriod(Duration shutdownGracePeriod) {
      requireNonNull(shutdownGracePeriod, "shutdownGracePeriod is null");
      checkArgument(!shutdownGracePeriod.isNegative(), "shutdownGracePeriod must not be negative");
      this.shutdownGracePeriod = shutdownGracePeriod;
      return this;
    }

    /**
     * How long an attempt has to end once its timeout or a kill cancelled it (default 30 s;
     * positive). After that it is abandoned: recorded FAILED (timeout) or KILLED, its lease no
     * longer renewed, its worker slot given back, and its thread's stack logged.
     */
    public Builder cancelGracePeriod(Duration cancelGracePeriod) {
      this.cancelGracePeriod = positive(cancelGracePeriod, "cancelGracePeriod");
      return this;
    }

    /**
     * Events waiting for the listeners at most (default {@value #DEFAULT_EVENT_QUEUE_CAPACITY}; at
     * least 1); when full, new events are dropped and counted ({@link Platform#stats()}).
     */
    public Builder eventQueueCapacity(int eventQueueCapacity) {
      checkArgument(
          eventQueueCapacity >= 1,
          "eventQueueCapacity must be >= 1 but was %s",
          eventQueueCapacity);
      this.eventQueueCapacity = eventQueueCapacity;
      return this;
    }

    /**
     * Where task logs go. The default, {@link #DEFAULT_LOG_DIRECTORY}, gets a subdirectory per
     * installation ({@code installation-<digest of the installation id>}), so that platforms of two
     * databases on one host, or of a database dropped and created again, never write into each
     * other's files. A directory given here is used as is: give each database its own. It is marked
     * as this installation's at start, and {@code start()} fails with {@link
     * LogDirectoryInUseException} when another installation marked it.
     */
    public Builder logDirectory(Path logDirectory) {
      this.logDirectory = requireNonNull(logDirectory, "logDirectory is null");
      return this;
    }

    /**
     * Where uploaded resources (docs/resources.md) are kept: every instance of a cluster must be
     * given the same store, e.g. {@code BlobStores.hadoop(URI.create("hdfs://nn:8020/platform"),
     * Map.of())}. The default is a directory of this host, {@link #DEFAULT_RESOURCE_DIRECTORY} (one
     * subdirectory per installation). The platform does not close the store.
     */
    public Builder resourceStore(io.flinkplatform.engine.storage.BlobStore store) {
      this.resourceStore = requireNonNull(store, "store is null");
      return this;
    }

    /**
     * Where this instance copies the resources its tasks name before they run (default {@link
     * #DEFAULT_RESOURCE_CACHE_DIRECTORY}): one file per content and name, {@code <sha256>/<name>},
     * checked against the SHA-256 when copied, shared by every task and installation on the host.
     */
    public Builder resourceCacheDirectory(Path directory) {
      this.resourceCacheDirectory = requireNonNull(directory, "directory is null");
      return this;
    }

    /**
     * The most bytes one attempt's task log may take, whatever its task type (default {@link
     * #DEFAULT_MAX_TASK_LOG_SIZE}); lines past it are counted and dropped, and the log says so. At
     * least {@link #MIN_MAX_TASK_LOG_SIZE}.
     */
    public Builder maxTaskLogSize(long bytes) {
      checkArgument(
          bytes >= MIN_MAX_TASK_LOG_SIZE,
          "maxTaskLogSize must be at least %s bytes but was %s",
          MIN_MAX_TASK_LOG_SIZE,
          bytes);
      this.maxTaskLogSize = bytes;
      return this;
    }

    /**
     * A store every instance can read ({@link io.flinkplatform.engine.storage.BlobStores#hadoop}:
     * {@code hdfs://}, {@code file://} on a shared mount, an object store) to which each attempt's
     * log is shipped, so that {@link PlatformClient#log} reads it on any instance, also once the
     * instance that ran it is gone (default: none, logs stay on the instance that ran the attempt).
     * Logs are still written to {@link #logDirectory} first; what a running attempt writes is
     * shipped every {@link #logShipInterval}, the rest when it ends, never delaying its outcome.
     * Retention deletes shipped logs with their runs. The host keeps the store and closes it after
     * {@link Platform#stop()}. See docs/configuration.md, "Logs".
     */
    public Builder sharedLogStore(BlobStore store) {
      this.sharedLogStore = requireNonNull(store, "store is null");
      return this;
    }

    /**
     * How often a running attempt's new log lines are shipped to the {@link #sharedLogStore}
     * (default {@link #DEFAULT_LOG_SHIP_INTERVAL}; positive): what an instance that dies
     * mid-attempt loses from the shared copy is at most this interval's lines.
     */
    public Builder logShipInterval(Duration logShipInterval) {
      this.logShipInterval = positive(logShipInterval, "logShipInterval");
      return this;
    }

    /**
     * Deletes finished runs, with their attempts and task logs, that ended longer ago than {@code
     * retention}; {@code Duration.ZERO} (the default) keeps everything. Runs not finished are never
     * deleted. See docs/configuration.md, "Logs".
     */
    public Builder retention(Duration retention) {
      requireNonNull(retention, "retention is null");
      checkArgument(
          !retention.isNegative(), "retention must not be negative but was %s", retention);
      this.retention = retention;
      return this;
    }

    /** How often retention runs, when it is on (default 10 minutes; positive). */
    public Builder housekeepingInterval(Duration housekeepingInterval) {
      this.housekeepingInterval = positive(housekeepingInterval, "housekeepingInterval");
      return this;
    }

    /**
     * What {@link Platform#start()} does with the schema (default {@link SchemaMode#MIGRATE}):
     * apply pending migrations, only check that all were applied, or nothing.
     */
    public Builder schemaMode(SchemaMode schemaMode) {
      this.schemaMode = requireNonNull(schemaMode, "schemaMode is null");
      return this;
    }

    /** Whether plugins on the class path are found through ServiceLoader (default true). */
    public Builder discoverPlugins(boolean discoverPlugins) {
      this.discoverPlugins = discoverPlugins;
      return this;
    }

    /** Adds a plugin in code; it wins over a discovered plugin offering the same task type id. */
    public Builder plugin(TaskPlugin plugin) {
      plugins.add(requireNonNull(plugin, "plugin is null"));
      return this;
    }

    /**
     * A setting for one plugin, read through {@code PluginContext.settings()}: the key starts with
     * the plugin's name and a dot ({@code sql.maxPoolSize}), and only that plugin sees it. Values
     * are never logged.
     */
    public Builder pluginSetting(String key, String value) {
      requireNonNull(key, "plugin setting key is null");
      checkArgument(!key.isBlank(), "plugin setting key is blank");
      pluginSettings.put(key, requireNonNull(value, "value of plugin setting " + key + " is null"));
      return this;
    }

    /**
     * A global parameter, the lowest layer under workflow, run and task parameters. Give every
     * instance the same ones. Its name obeys {@link ParameterNames}; {@link #build()} refuses one
     * that does not with an {@link IllegalArgumentException} naming it.
     */
    public Builder parameter(String key, String value) {
      requireNonNull(key, "parameter key is null");
      globalParameters.put(key, requireNonNull(value, "value of parameter " + key + " is null"));
      return this;
    }

    /**
     * Receives the platform's events after each change was committed, in emission order, on one
     * delivery thread of this instance (never the engine's own threads); a throwing listener is
     * logged. May be called more than once.
     */
    public Builder listener(PlatformListener listener) {
      listeners.add(requireNonNull(listener, "listener is null"));
      return this;
    }

    /**
     * Where the keys that seal values at rest come from (datasource passwords, secret driver
     * properties, catalog options), asked once at {@link Platform#start()}: e.g. {@code () ->
     * KeyRing.fromFile(path)} or the host's vault client. None by default, and never read from the
     * environment. Give every instance the same keys; see {@link KeyRing} for rotation.
     */
    public Builder keyRing(Supplier<KeyRing> keyRing) {
      this.keyRing = requireNonNull(keyRing, "keyRing is null");
      return this;
    }

    /**
     * Resolves the names of secret references ({@code secret:NAME}, the only form a secret task
     * option takes in a workflow) when tasks run, through {@code PluginContext.secret(name)}: the
     * host's vault or secret files. None by default; the platform never reads the environment for
     * it. It must be thread-safe and never log what it returns. Only names {@link #secretNames}
     * allows are ever asked.
     */
    public Builder secretSource(Function<String, Optional<String>> secretSource) {
      this.secretSource = requireNonNull(secretSource, "secretSource is null");
      return this;
    }

    /**
     * The secret names tasks and plugins may resolve (default {@value SecretNames#DEFAULT}): names,
     * and prefixes ending in {@code *} (not {@code *} alone). A secret option naming another is
     * refused at deploy, a datasource at save, and {@code PluginContext.secret(name)} refuses it at
     * run time without asking the source, so a workflow author cannot read whatever else the host's
     * source holds.
     *
     * @throws IllegalArgumentException naming a pattern that is neither a name nor a prefix
     */
    public Builder secretNames(String... patterns) {
      this.secretNames = SecretNames.of(Arrays.asList(patterns));
      return this;
    }

    /**
     * Who decides the roles of actors other than the system (docs/security.md): by default the
     * platform's built-in store of users and workspace members.
     */
    public Builder authorizer(Authorizer authorizer) {
      this.authorizer = requireNonNull(authorizer, "authorizer is null");
      return this;
    }

    /**
     * Shared mode (docs/security.md): no user code runs inside the platform's JVM. Plugins refuse
     * what would run it there, such as the {@code local} Flink target and building a {@code
     * flink_jar} job graph in-process. Off by default.
     */
    public Builder sharedMode(boolean sharedMode) {
      this.sharedMode = sharedMode;
      return this;
    }

    /**
     * Serves the operations console and its REST API from this instance (docs/console.md): off
     * unless given. Every instance may serve it; they show the same data.
     */
    public Builder console(io.flinkplatform.engine.console.ConsoleSettings console) {
      this.console = requireNonNull(console, "console is null");
      return this;
    }

    /** The clock for every time the platform takes (default UTC system clock). */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock is null");
      return this;
    }

    /**
     * Checks the settings together and freezes them.
     *
     * @throws IllegalStateException unless exactly one of {@link #dataSource} and {@link #jdbcUrl}
     *     was given, or if {@code leaseDuration} is less than twice {@code heartbeatInterval}
     * @throws IllegalArgumentException naming a global parameter whose name is not allowed
     */
    public Platform build() {
      checkState(
          dataSource != null ^ jdbcUrl != null,
          "give exactly one of dataSource(...) or jdbcUrl(...)");
      checkState(
          leaseDuration.compareTo(heartbeatInterval.multipliedBy(2)) >= 0,
          "leaseDuration (%s) must be at least twice the heartbeatInterval (%s)",
          leaseDuration,
          heartbeatInterval);
      String name = instanceName != null ? instanceName : defaultInstanceName();
      return new Platform(
          new PlatformSettings(
              dataSource,
              jdbcUrl,
              jdbcUser,
              jdbcPassword,
              poolSize,
              name,
              labels,
              workerThreads,
              claimBatchSize,
              claimAhead >= 0 ? claimAhead : defaultClaimAhead(),
              completionBatchSize,
              pollInterval,
              heartbeatInterval,
              leaseDuration,
              shutdownGracePeriod,
              priorityAgeing,
              logDirectory,
              maxTaskLogSize,
              Optional.ofNullable(sharedLogStore),
              logShipInterval,
              retention,
              housekeepingInterval,
              schemaMode,
              discoverPlugins,
              plugins,
              pluginSettings,
              globalParameters,
              listeners,
              clock,
              cancelGracePeriod,
              eventQueueCapacity,
              keyRing,
              secretSource,
              secretNames,
              Optional.ofNullable(authorizer),
              sharedMode,
              Optional.ofNullable(console),
              Optional.ofNullable(resourceStore),
              resourceCacheDirectory,
              alerts,
              Optional.ofNullable(meterRegistry)));
    }

    /** {@link #DEFAULT_CLAIM_AHEAD_PER_WORKER_THREAD} per worker thread, at most a claim batch. */
    private int defaultClaimAhead() {
      return (int)
          Math.min(claimBatchSize, (long) DEFAULT_CLAIM_AHEAD_PER_WORKER_THREAD * workerThreads);
    }

    private static Duration positive(Duration d, String name) {
      requireNonNull(d, name + " is null");
      checkArgument(!d.isNegative() && !d.isZero(), "%s must be positive but was %s", name, d);
      return d;
    }

    private static String defaultInstanceName() {
      String host;
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (Exception e) {
        host = "localhost";
      }
      return host + ":" + ManagementFactory.getRuntimeMXBean().getPid();
    }
  }
}
