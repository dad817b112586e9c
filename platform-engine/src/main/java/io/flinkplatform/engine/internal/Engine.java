package io.flinkplatform.engine.internal;

import static com.google.common.base.Preconditions.checkState;
import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariDataSource;
import io.flinkplatform.engine.Health;
import io.flinkplatform.engine.InstanceStats;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.PlatformException;
import io.flinkplatform.engine.PlatformSettings;
import io.flinkplatform.engine.access.PlatformAdmin;
import io.flinkplatform.engine.internal.access.Access;
import io.flinkplatform.engine.internal.access.Caller;
import io.flinkplatform.engine.internal.access.StoredAuthorizer;
import io.flinkplatform.engine.internal.access.WorkspaceAdmin;
import io.flinkplatform.engine.internal.common.Events;
import io.flinkplatform.engine.internal.definition.PluginRegistry;
import io.flinkplatform.engine.internal.identity.Identity;
import io.flinkplatform.engine.internal.metrics.MeterEvents;
import io.flinkplatform.engine.internal.metrics.Meters;
import io.flinkplatform.engine.internal.query.ClientImpl;
import io.flinkplatform.engine.internal.store.Schema;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.Secrets;
import io.flinkplatform.spi.Workspaces;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops one platform instance: opens the database (its own pool if given a URL), applies
 * the schema, starts the plugins, builds the {@link Components}, registers the instance and starts
 * its {@link BackgroundLoops}, or, in manual mode, hands their passes to a test instead ({@link
 * ManualLoops}). Public only so that {@link io.flinkplatform.engine.Platform} can build it; not an
 * API.
 */
public final class Engine {
  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
  private final PlatformSettings settings;
  private final String owner;
  private final PluginLifecycle plugins;
  private volatile Access access;
  private volatile Identity identity;
  private final Object lifecycle = new Object();
  private State state = State.NEW;
  private HikariDataSource ownedPool;
  private DataSource dataSource;
  private Events events;
  private Components.Pools pools;
  private Components components;
  private BackgroundLoops loops;
  private WorkerRegistration registration;
  private HealthChecks health;
  private io.flinkplatform.engine.internal.console.ConsoleServer console;

  private enum State {
    NEW,
    STARTED,
    STOPPED
  }

  public Engine(PlatformSettings settings) {
    this.settings = settings;
    this.owner = settings.instanceName() + "#" + UUID.randomUUID().toString().substring(0, 8);
    this.plugins = new PluginLifecycle(settings);
  }

  public PlatformSettings settings() {
    return settings;
  }

  /** This instance's counters; usable once started. */
  public InstanceStats stats() {
    synchronized (lifecycle) {
      checkState(state != State.NEW && components != null, "the platform was not started");
    }
    return new InstanceStats(
        events.dropped(),
        components.executor().abandonedAttempts(),
        components.executor().abandonedThreads());
  }

  /**
   * This instance's health (see {@link Health}): DOWN before start and after stop; the database
   * check waits up to {@link Health#DATABASE_TIMEOUT_SECONDS} s.
   */
  public Health health() {
    HealthChecks h;
    synchronized (lifecycle) {
      if (state != State.STARTED) {
        return Health.of(
            java.util.List.of(
                new Health.Check(
                    "instance",
                    Health.Status.DOWN,
                    state == State.NEW ? "not started" : "stopped")));
      }
      h = health;
    }
    return h.check(true);
  }

  /** Where this instance serves the console, if it does and was started. */
  public java.util.Optional<java.net.URI> consoleUri() {
    io.flinkplatform.engine.internal.console.ConsoleServer c = console;
    return c == null ? java.util.Optional.empty() : java.util.Optional.of(c.uri());
  }

  /** The console's server, if this instance serves one (for tests). */
  public java.util.Optional<io.flinkplatform.engine.internal.console.ConsoleServer> console() {
    return java.util.Optional.ofNullable(console);
  }

  /** The platform administration acting as {@code actor}. */
  public PlatformAdmin admin(Actor actor) {
    synchronized (lifecycle) {
      checkState(state == State.STARTED, "the platform is %s; call start() first", state);
    }
    return new WorkspaceAdmin(components.store(), access, settings.clock()).platformAdmin(actor);
  }

  /** The built-in users and API tokens as {@code actor} manages them. */
  public io.flinkplatform.engine.access.Users users(Actor actor) {
    synchronized (lifecycle) {
      checkState(state == State.STARTED, "the platform is %s; call start() first", state);
    }
    return identity.users(actor);
  }

  /** Logging in against the built-in users and API tokens. */
  public io.flinkplatform.engine.access.Authenticator authenticator() {
    synchronized (lifecycle) {
      checkState(state == State.STARTED, "the platform is %s; call start() first", state);
    }
    return identity;
  }

  /** A client acting as {@code actor} in {@code workspace} (which must exist). */
  public PlatformClient client(Actor actor, String workspace) {
    requireNonNull(actor, "actor is null");
    requireNonNull(workspace, "workspace is null");
    ClientImpl client;
    synchronized (lifecycle) {
      checkState(state == State.STARTED, "the platform is %s; call start() first", state);
      client = components.client();
    }
    if (!actor.isSystem() || !workspace.equals(Workspaces.DEFAULT)) {
      access.requireWorkspace(workspace);
    }
    return client.as(new Caller(actor, workspace));
  }

  /** Starts the instance with its background loops on threads of their own. */
  public void start() {
    start(false);
  }

  /**
   * Starts the instance like {@link #start} but starts none of its background loops: the returned
   * handle runs their passes on the caller's thread. Attempts still run on the worker pool. Stop it
   * with {@link #stop}.
   */
  public ManualLoops startManual() {
    start(true);
    return new ManualLoops(components, dataSource);
  }

  private void start(boolean manual) {
    synchronized (lifecycle) {
      checkState(state == State.NEW, "the platform was already started");
      try {
        doStart(manual);
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

  private void doStart(boolean manual) {
    LOG.info("[{}] starting: {}", settings.instanceName(), settings);
    if (settings.dataSource() == null) {
      ownedPool = OwnedPool.open(settings);
    }
    DataSource ds = ownedPool != null ? ownedPool : settings.dataSource();
    dataSource = ds;
    Schema.apply(ds, settings.schemaMode());
    Secrets secrets = plugins.keyRing(ds);
    Store store = new Store(ds);
    access =
        new Access(
            store,
            settings.authorizer().orElseGet(() -> new StoredAuthorizer(store)),
            settings.clock());
    identity = new Identity(store, access, settings.clock());
    InstallationId installation = new InstallationId(store, settings.clock());
    PluginRegistry registry =
        new PluginRegistry(
            settings.plugins(),
            settings.discoverPlugins(),
            Thread.currentThread().getContextClassLoader());
    LOG.info("[{}] task types: {}", settings.instanceName(), registry.ids());
    io.flinkplatform.engine.storage.BlobStore resourceStore = resourceStore(installation);
    // before the plugins: they register their gauges when they start (part G flink-meter)
    Meters meters = Meters.of(settings.meterRegistry(), settings.instanceName());
    plugins.start(
        registry,
        ds,
        secrets,
        installation,
        access,
        new io.flinkplatform.engine.internal.resource.ResourceResolver(
            store, access, resourceStore, settings.resourceCacheDirectory()),
        // alerts raised by plugins (part C2 alert-sla)
        settings.alerts().enabled()
            ? new io.flinkplatform.engine.internal.alert.PluginRaiser(store, settings.clock())
            : io.flinkplatform.spi.PluginAlerts.NONE,
        meters.forPlugins());
    java.util.List<io.flinkplatform.engine.event.PlatformListener> listeners =
        new java.util.ArrayList<>(settings.listeners());
    if (meters.enabled()) {
      listeners.add(new MeterEvents(meters));
    }
    events = new Events(listeners, settings.eventQueueCapacity(), settings.instanceName());
    pools = Components.Pools.create(settings.workerThreads());
    components =
        Components.build(
            settings,
            owner,
            store,
            events,
            pools,
            registry,
            installation,
            access,
            resourceStore,
            io.flinkplatform.engine.internal.alert.ChannelRegistry.discover(
                Thread.currentThread().getContextClassLoader()),
            secrets,
            meters,
            manual);
    loops = new BackgroundLoops(settings, components);
    health =
        new HealthChecks(
            ds, components, loops, settings.leaseDuration().toMillis(), settings.instanceName());
    HealthChecks checks = health;
    meters.health(() -> checks.check(false).isUp()); // per scrape: no query
    registration = new WorkerRegistration(settings, store, components.leaseClock(), owner);
    registration.register(registry.ids());
    if (settings.console().isPresent()) {
      // bound before the loops start, so that a taken port fails the start with nothing running
      console =
          io.flinkplatform.engine.internal.console.ConsoleServer.bind(
              settings.console().get(), new ConsoleHost(this, access, ds, registry.plugins()));
    }
    if (!manual) {
      loops.start();
    }
    state = State.STARTED;
    if (console != null) {
      console.start();
    }
    LOG.info("[{}] started as {}{}", settings.instanceName(), owner, manual ? " (manual)" : "");
  }

  /** The host's resource store, or the default directory with this installation's subdirectory. */
  private io.flinkplatform.engine.storage.BlobStore resourceStore(InstallationId installation) {
    io.flinkplatform.engine.storage.BlobStore store =
        settings
            .resourceStore()
            .orElseGet(
                () ->
                    io.flinkplatform.engine.storage.BlobStores.local(
                        io.flinkplatform.engine.Platform.DEFAULT_RESOURCE_DIRECTORY.resolve(
                            io.flinkplatform.engine.internal.worker.LocalLogStore.digest(
                                installation.get()))));
    LOG.info("[{}] resources are kept in {}", settings.instanceName(), store.describe());
    return store;
  }

  private void releaseAfterFailedStart() {
    if (console != null) {
      console.stop();
    }
    if (events != null) {
      events.stop();
    }
    plugins.stop();
    if (components != null) {
      components.logs().stopShipping();
    }
    if (pools != null) {
      pools.shutdownNow();
    }
    if (ownedPool != null) {
      ownedPool.close();
    }
  }

  /** Stops in order (see {@link OrderedStop}), then the plugins, the pool and the events. */
  public void stop() {
    synchronized (lifecycle) {
      if (state != State.STARTED) {
        state = State.STOPPED;
        return;
      }
      state = State.STOPPED;
      LOG.info("[{}] stopping", settings.instanceName());
      if (console != null) {
        console.stop();
      }
      new OrderedStop(settings, components, loops, registration).run();
      plugins.stop();
      if (ownedPool != null) {
        ownedPool.close();
      }
      events.stop();
      LOG.info("[{}] stopped", settings.instanceName());
    }
  }
}
