package io.flinkplatform.engine.internal.metrics;

import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.spi.PluginMeters;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What the engine measures, called where it happens. Every method is cheap enough for a hot path
 * (an increment on a meter looked up once) and never throws. {@link #NONE} measures nothing; {@link
 * #of} gives the Micrometer implementation when the host gave a registry. Meter names and tags are
 * listed in docs/operations.md, "Metrics".
 */
public interface Meters {
  /** Measures nothing: the platform without a registry. */
  Meters NONE = new NoMeters();

  /**
   * The meters for {@code registry} (a Micrometer {@code MeterRegistry}, held as an Object so that
   * a host without Micrometer never loads it), tagged with {@code instance}; {@link #NONE} if
   * empty.
   *
   * @throws IllegalArgumentException if the object is not a {@code MeterRegistry}
   */
  static Meters of(Optional<Object> registry, String instance) {
    if (registry.isEmpty()) {
      return NONE;
    }
    return MicrometerMeters.create(registry.get(), instance);
  }

  /** Whether anything is measured (false for {@link #NONE}). */
  boolean enabled();

  /** A run of {@code workflow} entered RUNNING (a reopened run counts again). */
  void runStarted(String workflow);

  /** A run of {@code workflow} ended in {@code state}. */
  void runEnded(String workflow, RunState state);

  /** This instance claimed an attempt of {@code taskType} and starts it. */
  void attemptStarted(String taskType);

  /** An attempt's outcome was committed; {@code durationMillis} since it started (-1: unknown). */
  void attemptEnded(String taskType, TaskState state, long durationMillis);

  /** One claim transaction took {@code nanos} and claimed {@code attempts} (possibly none). */
  void claimed(int attempts, long nanos);

  /** One completion transaction committed {@code outcomes} in {@code nanos}. */
  void committed(int outcomes, long nanos);

  /** A schedule fired {@code lagMillis} after its fire time. */
  void fired(long lagMillis);

  /** The heartbeat renewed this instance's leases. */
  void leaseRenewed();

  /** The reaper re-queued {@code attempts} whose lease lapsed (taken over from their owner). */
  void reaped(int attempts);

  /** A write of an owner whose claim was no longer valid was rejected. */
  void staleWriteRejected();

  /** {@code loop} could not reach the database (once per outage). */
  void outageStarted(String loop);

  /** {@code loop} reached the database again after {@code millis} without. */
  void outageEnded(String loop, long millis);

  /**
   * One delivery attempt of an alert over a channel of {@code channelType} ended, delivered or not
   * (the alert delivery calls this once per {@code t_alert_attempt} row it writes).
   */
  void alertDelivered(String channelType, boolean ok);

  /** The READY attempts due now, by priority band (read by {@link QueueDepth}). */
  void readyAttempts(long high, long normal, long low);

  /** Registers the health gauge (1 up, 0 down), read when the registry is scraped. */
  void health(BooleanSupplier up);

  /**
   * Registers a plugin's gauge {@code name} with {@code tags} besides {@code instance}, read when
   * the registry is scraped (null or an exception reads as NaN). Arguments are checked by {@link
   * #forPlugins()}.
   */
  void gauge(String name, String description, Map<String, String> tags, Supplier<Number> value);

  /**
   * These meters as plugins see them ({@code PluginContext.meters()}): checked, then {@link
   * #gauge}.
   */
  default PluginMeters forPlugins() {
    return (name, description, tags, value) -> {
      PluginMeters.check(name, description, tags, value);
      gauge(name, description, Map.copyOf(tags), value);
    };
  }
}
