package io.flinkplatform.engine.testing;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.InstanceStats;
import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.event.PlatformEvent;
import io.flinkplatform.engine.event.PlatformListener;
import io.flinkplatform.spi.TaskPlugin;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * A platform instance for tests that runs only when the test says so: no background threads, a
 * {@link ManualClock}, and every background loop driven by {@link #tick()} on the calling thread.
 * Tests of a host's workflows use it to prove what happens at which time (a schedule fires, a retry
 * waits its delay, a misfire is caught up) without sleeping and without races.
 *
 * <p>One {@link #tick()} is one pass of every loop in the order of the data path: due schedules
 * fire, held runs are admitted, ready attempts are claimed and run, external attempts are polled,
 * outcomes are committed (making the next tasks ready), leases are renewed and lapsed ones reaped,
 * waiting attempts age, and retention runs; after each pass it waits until what the pass started
 * has ended and been committed. {@link #runUntilIdle()} ticks until no loop changes anything, that
 * is until nothing is runnable at the clock's time; {@link #advance(Duration)} moves the clock.
 * Deploy, trigger and read through the ordinary {@link #client()}.
 *
 * <pre>{@code
 * try (ManualPlatform platform =
 *     ManualPlatform.builder()
 *         .dataSource(dataSource)
 *         .startingAt(Instant.parse("2026-06-01T00:00:00Z"))
 *         .build()) {
 *   PlatformClient client = platform.client();
 *   client.deploy(workflow);
 *   long run = client.trigger("daily_sales");
 *   platform.runUntilIdle();
 *   assertThat(client.run(run).orElseThrow().state()).isEqualTo(RunState.SUCCESS);
 * }
 * }</pre>
 *
 * <p>It runs on a real database (the schema is applied as {@code Platform.start()} would), which
 * the test gives as a {@link DataSource} or a JDBC URL; give every test a fresh schema. Attempts of
 * synchronous task types run on the worker pool and the tick waits for them, so a task that sleeps
 * makes the tick take that long. Leases, task timeouts and kill grace periods stay on real time
 * (see docs/testing.md). Not thread-safe: drive it from one thread. {@link #close()} releases it as
 * {@code Platform.stop()} would.
 */
public final class ManualPlatform implements AutoCloseable {
  /** The passes {@link #runUntilIdle()} runs at most, unless the builder says otherwise. */
  public static final int DEFAULT_MAX_PASSES = 1_000;

  /** Where the clock starts unless the builder says otherwise. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  /**
   * The lease a manual platform's attempts are claimed under unless configured: long, since between
   * two ticks nothing renews it and a test may pause there (in a debugger) for minutes.
   */
  public static final Duration DEFAULT_LEASE_DURATION = Duration.ofHours(1);

  private final ManualClock clock;
  private final int maxPasses;
  private final List<PlatformEvent> events;
  private final LoopDriver loops;

  private ManualPlatform(
      ManualClock clock, int maxPasses, List<PlatformEvent> events, LoopDriver loops) {
    this.clock = clock;
    this.maxPasses = maxPasses;
    this.events = events;
    this.loops = loops;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The client to deploy, trigger and read, as {@code Platform.client()}. */
  public PlatformClient client() {
    return loops.client();
  }

  /** A client acting as {@code actor} in {@code workspace}, as {@code Platform.client(...)}. */
  public PlatformClient client(io.flinkplatform.spi.Actor actor, String workspace) {
    return loops.client(actor, workspace);
  }

  /** The built-in users and API tokens as {@code actor} manages them, as {@code Platform.users}. */
  public io.flinkplatform.engine.access.Users users(io.flinkplatform.spi.Actor actor) {
    return loops.users(actor);
  }

  /** Logging in against the built-in users and tokens, as {@code Platform.authenticator()}. */
  public io.flinkplatform.engine.access.Authenticator authenticator() {
    return loops.authenticator();
  }

  /** The clock every part of this platform reads. */
  public ManualClock clock() {
    return clock;
  }

  /** The clock's time. */
  public Instant now() {
    return clock.instant();
  }

  /**
   * Moves the clock forward by {@code d}; runs nothing. Chain {@link #runUntilIdle()} to run what
   * became due: {@code platform.advance(Duration.ofMinutes(5)).runUntilIdle()}.
   */
  public ManualPlatform advance(Duration d) {
    clock.advance(d);
    return this;
  }

  /** Moves the clock to {@code instant} (forward or back); runs nothing. */
  public ManualPlatform setTime(Instant instant) {
    clock.set(instant);
    return this;
  }

  /** Runs one pass of every loop, in the order of the data path; see the class comment. */
  public Tick tick() {
    return new Tick(loops.tick());
  }

  /**
   * Ticks until a pass does nothing: every run that can progress at the clock's time has, and what
   * is left waits for the clock to move or for something outside. Returns the busy passes run.
   *
   * @throws NotIdleException when every one of the builder's {@code maxPasses} passes did work
   */
  public int runUntilIdle() {
    Tick last = Tick.IDLE;
    for (int pass = 0; pass < maxPasses; pass++) {
      last = tick();
      if (last.idle()) {
        return pass;
      }
    }
    throw new NotIdleException(maxPasses, last);
  }

  /** Every event emitted so far, in order (delivered to listeners before a tick returns). */
  public List<PlatformEvent> events() {
    return List.copyOf(events);
  }

  /** The events of one type emitted so far, in order. */
  public <T extends PlatformEvent> List<T> events(Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** This instance's counters, as {@code Platform.stats()}. */
  public InstanceStats stats() {
    return loops.stats();
  }

  /** Releases the instance as {@code Platform.stop()} would (plugins stopped, pool closed). */
  @Override
  public void close() {
    loops.close();
  }

  /**
   * Builds a {@link ManualPlatform}. Every {@code Platform.Builder} option is available through
   * {@link #configure}; the testkit sets the clock (a {@link ManualClock}), and, unless configured,
   * the instance name ({@code "manual"}) and a long lease ({@link #DEFAULT_LEASE_DURATION}).
   */
  public static final class Builder {
    private final Platform.Builder platform =
        Platform.builder().instanceName("manual").leaseDuration(DEFAULT_LEASE_DURATION);
    private Instant start = DEFAULT_START;
    private ManualClock clock;
    private int maxPasses = DEFAULT_MAX_PASSES;

    private Builder() {}

    /** The database, through the test's own pool; never closed by the platform. */
    public Builder dataSource(DataSource dataSource) {
      platform.dataSource(dataSource);
      return this;
    }

    /** The database by URL; the platform opens a pool of its own and closes it on close. */
    public Builder jdbcUrl(String url, String user, String password) {
      platform.jdbcUrl(url, user, password);
      return this;
    }

    /** Where a clock made by the builder starts (default {@link #DEFAULT_START}). */
    public Builder startingAt(Instant start) {
      this.start = requireNonNull(start, "start is null");
      return this;
    }

    /** A clock of the test's own, shared with other parts of the test; wins over startingAt. */
    public Builder clock(ManualClock clock) {
      this.clock = requireNonNull(clock, "clock is null");
      return this;
    }

    /** Adds a plugin, as {@code Platform.Builder.plugin}. */
    public Builder plugin(TaskPlugin plugin) {
      platform.plugin(plugin);
      return this;
    }

    /** Adds a listener, as {@code Platform.Builder.listener}; events reach it before tick ends. */
    public Builder listener(PlatformListener listener) {
      platform.listener(listener);
      return this;
    }

    /** The passes {@link #runUntilIdle()} runs at most (default {@value #DEFAULT_MAX_PASSES}). */
    public Builder maxPasses(int maxPasses) {
      checkArgument(maxPasses >= 1, "maxPasses must be >= 1 but was %s", maxPasses);
      this.maxPasses = maxPasses;
      return this;
    }

    /**
     * Any other option of the platform ({@code discoverPlugins}, {@code parameter}, {@code
     * retention}, {@code keyRing}...). A clock set here is replaced by the manual one.
     */
    public Builder configure(Consumer<Platform.Builder> options) {
      options.accept(platform);
      return this;
    }

    /**
     * Applies the schema, registers the instance and starts its plugins, as {@code
     * Platform.start()} would, but starts no thread.
     */
    public ManualPlatform build() {
      ManualClock c = clock != null ? clock : new ManualClock(start);
      List<PlatformEvent> events = new CopyOnWriteArrayList<>();
      platform.listener(events::add).clock(c);
      return new ManualPlatform(
          c, maxPasses, events, LoopDriver.start(platform.build().settings()));
    }
  }
}
