package io.flinkplatform.engine.internal;

import static com.google.common.base.Preconditions.checkState;

import com.google.common.collect.Lists;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.flinkplatform.engine.KeyRing;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.PlatformException;
import io.flinkplatform.engine.PlatformSettings;
import io.flinkplatform.engine.internal.command.LimitSettings;
import io.flinkplatform.engine.internal.command.RerunCommands;
import io.flinkplatform.engine.internal.command.RunCommands;
import io.flinkplatform.engine.internal.common.Events;
import io.flinkplatform.engine.internal.common.RedactedException;
import io.flinkplatform.engine.internal.definition.Definitions;
import io.flinkplatform.engine.internal.definition.Deployments;
import io.flinkplatform.engine.internal.definition.PluginRegistry;
import io.flinkplatform.engine.internal.definition.WorkflowReferences;
import io.flinkplatform.engine.internal.definition.WorkflowValidator;
import io.flinkplatform.engine.internal.housekeeping.Housekeeper;
import io.flinkplatform.engine.internal.lease.Heartbeat;
import io.flinkplatform.engine.internal.lease.LeaseClock;
import io.flinkplatform.engine.internal.lease.LeaseWatchdog;
import io.flinkplatform.engine.internal.progress.Completer;
import io.flinkplatform.engine.internal.progress.Progress;
import io.flinkplatform.engine.internal.query.ClientImpl;
import io.flinkplatform.engine.internal.query.Explainer;
import io.flinkplatform.engine.internal.query.RunQueries;
import io.flinkplatform.engine.internal.query.RunWaiters;
import io.flinkplatform.engine.internal.rerun.Reruns;
import io.flinkplatform.engine.internal.schedule.Backfills;
import io.flinkplatform.engine.internal.schedule.Scheduler;
import io.flinkplatform.engine.internal.schedule.Schedules;
import io.flinkplatform.engine.internal.store.Rows.WorkerRow;
import io.flinkplatform.engine.internal.store.Rows.WorkerState;
import io.flinkplatform.engine.internal.store.Schema;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.internal.worker.CancelSignal.Cause;
import io.flinkplatform.engine.internal.worker.Dispatcher;
import io.flinkplatform.engine.internal.worker.Executor;
import io.flinkplatform.engine.internal.worker.LocalAttempt;
import io.flinkplatform.engine.internal.worker.LocalLogStore;
import io.flinkplatform.engine.internal.worker.RunAccess;
import io.flinkplatform.spi.PluginContext;
import io.flinkplatform.spi.Redaction;
import io.flinkplatform.spi.Secrets;
import io.flinkplatform.spi.TaskPlugin;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the machinery of one platform instance and owns its lifecycle. Public only so that {@link
 * io.flinkplatform.engine.Platform} can build it; not an API.
 */
public final class Engine {
  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
  private static final String VERSION = "0.1.0";
  private final PlatformSettings settings;
  private final String owner;
  private final Object lifecycle = new Object();
  private State state = State.NEW;
  private HikariDataSource ownedPool;
  private ExecutorService workers;
  private ScheduledExecutorService timers;
  private ScheduledExecutorService heartbeats;
  private ScheduledExecutorService housekeeping;
  private ScheduledExecutorService watchdog;
  private Thread dispatcherThread;
  private Thread completerThread;
  private Dispatcher dispatcher;
  private Scheduler scheduler;
  private Thread schedulerThread;
  private Completer completer;
  private Executor executor;
  private Events events;
  private Store store;
  private ClientImpl client;
  private final List<TaskPlugin> startedPlugins = new ArrayList<>();
  private final LeaseClock leaseClock = new LeaseClock();

  private enum State {
    NEW,
    STARTED,
    STOPPED
  }

  public Engine(PlatformSettings settings) {
    this.settings = settings;
    this.owner = settings.instanceName() + "#" + UUID.randomUUID().toString().substring(0, 8);
  }

  public PlatformSettings settings() {
    return settings;
  }

  /** This instance's counters; usable once started. */
  public io.flinkplatform.engine.InstanceStats stats() {
    synchronized (lifecycle) {
      checkState(state != State.NEW && executor != null, "the platform was not started");
    }
    return new io.flinkplatform.engine.InstanceStats(
        events.dropped(), executor.abandonedAttempts(), executor.abandonedThreads());
  }

  public PlatformClient client() {
    synchronized (lifecycle) {
      checkState(state == State.STARTED, "the platform is %s; call start() first", state);
      return client;
    }
  }

  public void start() {
    synchronized (lifecycle) {
      checkState(state == State.NEW, "the platform was already started");
      try {
        doStart();
      } catch (RuntimeException e) {
        state = State.STOPPED;
        releaseAfterFailedStart();
        throw e instanceof PlatformException
            ? e
            : new PlatformException(
                "[" + settings.instanceName() + "] could not start: " + e.getMessage(), e);
      }
    }
  }

  private void releaseAfterFailedStart() {
    if (events != null) {
      events.stop();
    }
    stopPlugins();
    for (ExecutorService pool :
        java.util.Arrays.asList(workers, timers, heartbeats, housekeeping, watchdog)) {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
    if (ownedPool != null) {
      ownedPool.close();
    }
  }

  private void doStart() {
    LOG.info("[{}] starting: {}", settings.instanceName(), settings);
    DataSource ds = settings.dataSource() != null ? settings.dataSource() : ownPool();
    Schema.apply(ds, settings.schemaMode());
    Secrets secrets = keyRing(ds);
    store = new Store(ds);
    PluginRegistry plugins =
        new PluginRegistry(
            settings.plugins(),
            settings.discoverPlugins(),
            Thread.currentThread().getContextClassLoader());
    LOG.info("[{}] task types: {}", settings.instanceName(), plugins.ids());
    startPlugins(plugins, ds, secrets);
    Definitions definitions = new Definitions(store, plugins);
    events =
        new Events(settings.listeners(), settings.eventQueueCapacity(), settings.instanceName());
    Progress progress = new Progress(definitions, settings.clock());
    workers = Executors.newFixedThreadPool(settings.workerThreads() + 4, threads("fp-worker-%d"));
    timers = Executors.newScheduledThreadPool(1, threads("fp-timer-%d"));
    heartbeats = Executors.newSingleThreadScheduledExecutor(threads("fp-heartbeat-%d"));
    // self-fencing on a thread of its own: a renewal may block for longer than a lease
    watchdog = Executors.newSingleThreadScheduledExecutor(threads("fp-lease-watchdog-%d"));
    RunWaiters waiters = new RunWaiters();
    completer =
        new Completer(
            store,
            progress,
            events,
            settings.clock(),
            settings.completionBatchSize(),
            changes -> {
              if (changes.readied) {
                dispatcher.wake(changes.nextReadyAt);
              }
              if (!changes.closedRuns.isEmpty()) {
                waiters.signalAll();
                scheduler.wake();
              }
            });
    LocalLogStore logs =
        LocalLogStore.of(
            settings.logDirectory(), readInstallationId(store), settings.maxTaskLogSize());
    String unmarked = logs.claim(); // a directory of another installation fails the start
    LOG.info("[{}] task logs go to {}", settings.instanceName(), logs.root());
    if (unmarked != null) {
      LOG.warn(
          "[{}] {}: logs of deleted runs are not removed there", settings.instanceName(), unmarked);
    }
    executor =
        new Executor(
            definitions,
            store,
            logs,
            completer,
            workers,
            timers,
            settings.workerThreads(),
            settings.clock(),
            settings.globalParameters(),
            () -> dispatcher.wake(0),
            settings.cancelGracePeriod());
    dispatcher =
        new Dispatcher(
            store,
            executor,
            completer,
            events,
            settings.clock(),
            leaseClock,
            owner,
            settings.claimBatchSize(),
            settings.pollInterval().toMillis(),
            settings.leaseDuration().toMillis(),
            plugins.ids(),
            settings.labels());
    Heartbeat heartbeat =
        new Heartbeat(
            store,
            executor,
            events,
            settings.clock(),
            leaseClock,
            owner,
            settings.leaseDuration().toMillis(),
            settings.priorityAgeing().toMillis(),
            completer::pendingAttemptIds,
            () -> dispatcher.wake(0));
    Runnable runsClosed =
        () -> {
          waiters.signalAll();
          scheduler.wake();
        };
    client =
        new ClientImpl(
            new Deployments(
                store,
                new WorkflowValidator(
                    plugins, new WorkflowReferences(store, plugins), settings.secretNames()),
                settings.clock()),
            new RunCommands(
                store,
                definitions,
                progress,
                events,
                executor,
                dispatcher,
                settings.clock(),
                runsClosed,
                () -> scheduler.wake()),
            new RerunCommands(
                store,
                new Reruns(definitions, progress),
                events,
                dispatcher,
                settings.clock(),
                runsClosed),
            new RunQueries(store, definitions, logs, waiters),
            new LimitSettings(store, dispatcher, settings.clock()),
            new Schedules(store, definitions, settings.clock()),
            new Backfills(store, definitions, settings.clock()),
            new Explainer(store, definitions, settings.clock()),
            () -> scheduler.wake());
    executor.runAccess(
        new RunAccess(
            store,
            definitions,
            events,
            settings.clock(),
            client::kill,
            dispatcher::wake,
            () -> scheduler.wake()));
    scheduler =
        new Scheduler(
            store,
            definitions,
            events,
            settings.clock(),
            leaseClock,
            settings.pollInterval().toMillis(),
            ids -> ids.forEach(client::kill),
            dispatcher::wake);
    register(plugins);
    completerThread = daemon(completer, "fp-completer");
    dispatcherThread = daemon(dispatcher, "fp-dispatcher");
    if (settings.workerThreads() > 0) {
      schedulerThread = daemon(scheduler, "fp-scheduler");
    }
    long beat = settings.heartbeatInterval().toMillis();
    heartbeats.scheduleWithFixedDelay(heartbeat, beat, beat, TimeUnit.MILLISECONDS);
    long lease = settings.leaseDuration().toMillis();
    long look = LeaseWatchdog.periodMillis(lease);
    watchdog.scheduleAtFixedRate(
        new LeaseWatchdog(executor, lease), look, look, TimeUnit.MILLISECONDS);
    if (!settings.retention().isZero()) {
      long every = settings.housekeepingInterval().toMillis();
      housekeeping = Executors.newSingleThreadScheduledExecutor(threads("fp-housekeeping-%d"));
      housekeeping.scheduleWithFixedDelay(
          new Housekeeper(
              store,
              logs,
              events,
              settings.clock(),
              owner,
              settings.instanceName(),
              settings.retention(),
              settings.housekeepingInterval()),
          every,
          every,
          TimeUnit.MILLISECONDS);
    }
    state = State.STARTED;
    LOG.info("[{}] started as {}", settings.instanceName(), owner);
  }

  /** The host's key ring, checked against the recorded fingerprints; none if not given. */
  private Secrets keyRing(DataSource ds) {
    if (settings.keyRing() == null) {
      return Secrets.none();
    }
    KeyRing ring;
    try {
      ring = settings.keyRing().get();
    } catch (RuntimeException e) {
      // the exception's message is the host's: it is not repeated, in case it shows a key
      throw new PlatformException(
          "["
              + settings.instanceName()
              + "] the key ring source failed ("
              + e.getClass().getName()
              + ")");
    }
    if (ring == null) {
      throw new PlatformException(
          "[" + settings.instanceName() + "] the key ring source gave null");
    }
    KeyChecks.verify(ds, ring, settings.clock().millis());
    LOG.info("[{}] key ring: {}", settings.instanceName(), ring);
    return ring;
  }

  private void startPlugins(PluginRegistry plugins, DataSource ds, Secrets secrets) {
    java.util.Set<String> unread = new java.util.TreeSet<>(settings.pluginSettings().keySet());
    for (TaskPlugin plugin : plugins.plugins()) {
      Map<String, String> own = HostedPluginContext.settingsOf(plugin, settings.pluginSettings());
      unread.removeAll(own.keySet());
      PluginContext context =
          new HostedPluginContext(
              settings.instanceName(),
              ds,
              own,
              settings.clock(),
              secrets,
              settings.secretSource(),
              () -> readInstallationId(store),
              settings.secretNames());
      Schema.applyPlugin(ds, settings.schemaMode(), plugin);
      try {
        plugin.start(context);
      } catch (RuntimeException e) {
        throw new PlatformException(
            "["
                + settings.instanceName()
                + "] plugin "
                + plugin.name()
                + " failed to start: "
                + e.getMessage(),
            e);
      } catch (LinkageError e) {
        // a class the plugin needs is not on the class path (a provided dependency the host did
        // not add): name the plugin and the class instead of a raw NoClassDefFoundError
        throw new PlatformException(
            "["
                + settings.instanceName()
                + "] plugin "
                + plugin.name()
                + " cannot start: it needs "
                + String.valueOf(e.getMessage()).replace('/', '.')
                + ", which is missing from the class path ("
                + e.getClass().getSimpleName()
                + "); add the dependency that provides it",
            e);
      }
      startedPlugins.add(plugin);
    }
    if (!unread.isEmpty()) {
      LOG.warn(
          "[{}] plugin settings {} do not start with the name of a plugin and a dot; no plugin"
              + " sees them",
          settings.instanceName(),
          unread);
    }
  }

  private volatile String installationId;

  /** The installation's id, read (and on first use written) once per start. */
  private String readInstallationId(Store s) {
    String id = installationId;
    if (id == null) {
      id = s.installationId(settings.clock().millis());
      installationId = id;
    }
    return id;
  }

  private void stopPlugins() {
    for (TaskPlugin plugin : Lists.reverse(startedPlugins)) {
      try {
        plugin.stop();
      } catch (RuntimeException e) {
        LOG.warn(
            "[{}] plugin {} failed to stop cleanly", settings.instanceName(), plugin.name(), e);
      }
    }
    startedPlugins.clear();
  }

  private void register(PluginRegistry plugins) {
    long now = settings.clock().millis();
    WorkerRow w = new WorkerRow();
    w.name = owner;
    w.instanceName = settings.instanceName();
    try {
      w.host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      w.host = "unknown";
    }
    w.pid = ManagementFactory.getRuntimeMXBean().getPid();
    w.version = VERSION;
    w.labels = String.join(",", new java.util.TreeSet<>(settings.labels()));
    // an instance without worker threads claims nothing: it offers no task types
    w.taskTypes =
        settings.workerThreads() == 0
            ? ""
            : String.join(",", new java.util.TreeSet<>(plugins.ids()));
    w.state = WorkerState.ACTIVE;
    w.startedAt = now;
    w.heartbeatAt = now;
    store.run(
        "register instance " + owner,
        m -> {
          leaseClock.sync(m);
          w.leaseUntil = leaseClock.millis() + settings.leaseDuration().toMillis();
          m.upsertWorker(w);
        });
  }

  public void stop() {
    synchronized (lifecycle) {
      if (state != State.STARTED) {
        state = State.STOPPED;
        return;
      }
      state = State.STOPPED;
      LOG.info("[{}] stopping", settings.instanceName());
      scheduler.stop();
      if (schedulerThread != null) {
        join(schedulerThread, 5_000);
      }
      dispatcher.stop();
      join(dispatcherThread, 5_000);
      long deadline = System.nanoTime() + settings.shutdownGracePeriod().toNanos();
      for (LocalAttempt la : executor.attempts()) {
        if (la.thread == null) {
          executor.cancel(la, Cause.RELEASE, "instance stopping before the attempt started");
        }
      }
      while (!executor.attempts().isEmpty() && System.nanoTime() < deadline) {
        sleep(20);
      }
      List<LocalAttempt> left = List.copyOf(executor.attempts());
      for (LocalAttempt la : left) {
        executor.cancel(la, Cause.RELEASE, "instance stopping");
      }
      if (!left.isEmpty()) {
        LOG.info(
            "[{}] handing back {} running attempt(s) after the grace period",
            settings.instanceName(),
            left.size());
      }
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!executor.attempts().isEmpty() && System.nanoTime() < until) {
        sleep(20);
      }
      heartbeats.shutdownNow();
      if (housekeeping != null) {
        shutdown(housekeeping, "housekeeping");
      }
      watchdog.shutdownNow();
      completer.stop();
      join(completerThread, 10_000);
      shutdown(workers, "workers");
      shutdown(timers, "timers");
      executor.stop();
      try {
        store.run("deregister " + owner, m -> m.stopWorker(owner, settings.clock().millis()));
      } catch (RuntimeException e) {
        LOG.warn("[{}] could not mark itself stopped: {}", settings.instanceName(), e.getMessage());
      }
      if (!executor.attempts().isEmpty() || completer.pending() > 0) {
        LOG.warn(
            "[{}] stopped with {} attempt(s) still running and {} result(s) uncommitted; "
                + "their leases will lapse and another instance will take them over",
            settings.instanceName(),
            executor.attempts().size(),
            completer.pending());
      }
      stopPlugins();
      if (ownedPool != null) {
        ownedPool.close();
      }
      events.stop();
      LOG.info("[{}] stopped", settings.instanceName());
    }
  }

  private DataSource ownPool() {
    HikariConfig c = ownPoolConfig(settings);
    try {
      ownedPool = new HikariDataSource(c);
    } catch (RuntimeException e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      // the driver's exceptions may quote the URL, password included: chain a redacted copy
      java.util.function.UnaryOperator<String> redact =
          RedactedException.masking(settings.jdbcPassword());
      throw new PlatformException(
          "cannot connect to "
              + Redaction.url(settings.jdbcUrl())
              + " as user '"
              + settings.jdbcUser()
              + "': "
              + (root.getMessage() == null
                  ? root.getClass().getName()
                  : redact.apply(root.getMessage())),
          RedactedException.of(e, redact));
    }
    return ownedPool;
  }

  /**
   * The owned pool's configuration: the URL, user and password reach the driver through {@link
   * io.flinkplatform.spi.UrlDataSource} only, so the pool's own configuration log never shows them.
   */
  static HikariConfig ownPoolConfig(PlatformSettings settings) {
    HikariConfig c = new HikariConfig();
    c.setPoolName("flink-platform-" + settings.instanceName());
    Properties driver = new Properties();
    driver.setProperty("user", settings.jdbcUser());
    if (!settings.jdbcPassword().isEmpty()) {
      driver.setProperty("password", settings.jdbcPassword());
    }
    driver.setProperty("connectTimeout", "10000");
    c.setMaximumPoolSize(settings.poolSize());
    c.setMinimumIdle(Math.min(2, settings.poolSize()));
    c.setConnectionTimeout(10_000);
    c.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    driver.setProperty("useLocalSessionState", "true");
    driver.setProperty("useLocalTransactionState", "true");
    driver.setProperty("rewriteBatchedStatements", "true");
    driver.setProperty("cachePrepStmts", "true");
    driver.setProperty("prepStmtCacheSize", "256");
    driver.setProperty("prepStmtCacheSqlLimit", "65536"); // multi-row statements are long
    driver.setProperty("useServerPrepStmts", "false");
    // A transaction left open by an instance that froze (or lost its network) mid-transaction
    // keeps its rows locked, and claims and the reaper skip locked rows: its attempts could not be
    // taken over while its connection lives. MariaDB ends a transaction idle for a lease (the
    // versioned comment is MariaDB's; MySQL skips it and has no such setting).
    c.setConnectionInitSql(idleTransactionTimeoutSql(settings.leaseDuration()));
    c.setDataSource(new io.flinkplatform.spi.UrlDataSource(settings.jdbcUrl(), driver));
    return c;
  }

  /** The connection set-up that bounds idle transactions to a lease (in whole seconds). */
  static String idleTransactionTimeoutSql(java.time.Duration lease) {
    long seconds = Math.max(1, (lease.toMillis() + 999) / 1000);
    return "SET @flink_platform = 1 /*M!100300 , SESSION idle_transaction_timeout = "
        + seconds
        + " */";
  }

  private static java.util.concurrent.ThreadFactory threads(String format) {
    return new ThreadFactoryBuilder().setNameFormat(format).setDaemon(true).build();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void join(Thread t, long millis) {
    try {
      t.join(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void shutdown(ExecutorService pool, String what) {
    pool.shutdownNow();
    try {
      if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("[{}] {} did not end within 5 s", settings.instanceName(), what);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
