package io.flinkplatform.engine.internal.metrics;

import static com.google.common.base.Preconditions.checkArgument;

import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The meters on the host's Micrometer registry: the only class of the engine that touches {@code
 * io.micrometer}, loaded only by {@link Meters#of} when a registry was given. Every meter carries
 * the tag {@code instance}; meters with a variable tag (workflow, task type, state, loop, channel
 * type) are looked up once and kept, so a call on a hot path is a map read and an increment.
 * Workflow names are capped at {@link #WORKFLOW_TAG_LIMIT} distinct values; later ones count as
 * {@value #OTHER}. Longer than most classes because every meter is declared here once, with its
 * description: the one list docs/operations.md mirrors.
 */
final class MicrometerMeters implements Meters {
  /** Distinct workflow tag values per instance; the rest are {@value #OTHER}. */
  static final int WORKFLOW_TAG_LIMIT = 500;

  static final String OTHER = "other";
  private static final RunState[] RUN_STATES = RunState.values();
  private static final TaskState[] TASK_STATES = TaskState.values();

  private final MeterRegistry registry;
  private final Tags base;
  private final int workflowLimit;
  private final Set<String> workflows = ConcurrentHashMap.newKeySet();
  private final ConcurrentMap<String, Counter> runsStarted = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, AtomicReferenceArray<Counter>> runsEnded =
      new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Counter> attemptsStarted = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, AtomicReferenceArray<Counter>> attemptsEnded =
      new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Timer> durations = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Counter> outages = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Timer> outageDurations = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, AtomicReferenceArray<Counter>> deliveries =
      new ConcurrentHashMap<>();
  private final DistributionSummary claimBatch;
  private final Timer claimLatency;
  private final DistributionSummary completionBatch;
  private final Timer commitLatency;
  private final Timer fireLag;
  private final Counter renewals;
  private final Counter takeovers;
  private final Counter staleWrites;
  private final AtomicLong readyHigh = new AtomicLong();
  private final AtomicLong readyNormal = new AtomicLong();
  private final AtomicLong readyLow = new AtomicLong();

  private MicrometerMeters(MeterRegistry registry, String instance, int workflowLimit) {
    this.registry = registry;
    this.base = Tags.of("instance", instance);
    this.workflowLimit = workflowLimit;
    claimBatch =
        DistributionSummary.builder("flinkplatform.claim.batch")
            .description("attempts one claim transaction took")
            .baseUnit("attempts")
            .tags(base)
            .register(registry);
    claimLatency =
        Timer.builder("flinkplatform.claim.latency")
            .description("time of one claim transaction")
            .tags(base)
            .register(registry);
    completionBatch =
        DistributionSummary.builder("flinkplatform.completion.batch")
            .description("outcomes one completion transaction committed")
            .baseUnit("outcomes")
            .tags(base)
            .register(registry);
    commitLatency =
        Timer.builder("flinkplatform.completion.latency")
            .description("time of one completion transaction")
            .tags(base)
            .register(registry);
    fireLag =
        Timer.builder("flinkplatform.schedule.fire.lag")
            .description("time from a schedule's fire time to the run it started")
            .tags(base)
            .register(registry);
    renewals =
        Counter.builder("flinkplatform.lease.renewals")
            .description("heartbeats that renewed this instance's leases")
            .tags(base)
            .register(registry);
    takeovers =
        Counter.builder("flinkplatform.lease.takeovers")
            .description("attempts re-queued because their owner's lease lapsed")
            .tags(base)
            .register(registry);
    staleWrites =
        Counter.builder("flinkplatform.stale.writes")
            .description("writes rejected because the writer's claim was no longer valid")
            .tags(base)
            .register(registry);
    ready("high", readyHigh);
    ready("normal", readyNormal);
    ready("low", readyLow);
  }

  /** The meters on {@code registry}, which must be a Micrometer {@code MeterRegistry}. */
  static MicrometerMeters create(Object registry, String instance) {
    return create(registry, instance, WORKFLOW_TAG_LIMIT);
  }

  static MicrometerMeters create(Object registry, String instance, int workflowLimit) {
    checkArgument(
        registry instanceof MeterRegistry,
        "meterRegistry must be an io.micrometer.core.instrument.MeterRegistry but was %s",
        registry.getClass().getName());
    return new MicrometerMeters((MeterRegistry) registry, instance, workflowLimit);
  }

  private void ready(String band, AtomicLong value) {
    Gauge.builder("flinkplatform.queue.ready", value, AtomicLong::get)
        .description("READY attempts due now in the whole platform, by priority band")
        .tags(base.and("band", band))
        .register(registry);
  }

  @Override
  public boolean enabled() {
    return true;
  }

  /** The workflow tag value: the name, or {@value #OTHER} once the cap was reached. */
  String workflowTag(String workflow) {
    if (workflow == null) {
      return OTHER;
    }
    if (workflows.contains(workflow)) {
      return workflow;
    }
    synchronized (workflows) {
      if (workflows.size() < workflowLimit) {
        workflows.add(workflow);
        return workflow;
      }
    }
    return OTHER;
  }

  @Override
  public void runStarted(String workflow) {
    runsStarted
        .computeIfAbsent(
            workflowTag(workflow),
            w ->
                Counter.builder("flinkplatform.runs.started")
                    .description("runs that entered RUNNING")
                    .tags(base.and("workflow", w))
                    .register(registry))
        .increment();
  }

  @Override
  public void runEnded(String workflow, RunState state) {
    byState(
            runsEnded,
            workflowTag(workflow),
            RUN_STATES.length,
            state.ordinal(),
            (w, i) ->
                Counter.builder("flinkplatform.runs.ended")
                    .description("runs that ended, by final state")
                    .tags(base.and("workflow", w, "state", RUN_STATES[i].name()))
                    .register(registry))
        .increment();
  }

  @Override
  public void attemptStarted(String taskType) {
    attemptsStarted
        .computeIfAbsent(
            String.valueOf(taskType),
            t ->
                Counter.builder("flinkplatform.attempts.started")
                    .description("attempts this instance claimed and started")
                    .tags(base.and("task.type", t))
                    .register(registry))
        .increment();
  }

  @Override
  public void attemptEnded(String taskType, TaskState state, long durationMillis) {
    String type = String.valueOf(taskType);
    byState(
            attemptsEnded,
            type,
            TASK_STATES.length,
            state.ordinal(),
            (t, i) ->
                Counter.builder("flinkplatform.attempts.ended")
                    .description("attempt outcomes this instance committed, by state")
                    .tags(base.and("task.type", t, "state", TASK_STATES[i].name()))
                    .register(registry))
        .increment();
    if (durationMillis >= 0) {
      durations
          .computeIfAbsent(
              type,
              t ->
                  Timer.builder("flinkplatform.task.duration")
                      .description("time from an attempt's start to its outcome")
                      .tags(base.and("task.type", t))
                      .publishPercentileHistogram()
                      .register(registry))
          .record(durationMillis, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void claimed(int attempts, long nanos) {
    claimBatch.record(attempts);
    claimLatency.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void committed(int outcomes, long nanos) {
    completionBatch.record(outcomes);
    commitLatency.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void fired(long lagMillis) {
    fireLag.record(Math.max(0, lagMillis), TimeUnit.MILLISECONDS);
  }

  @Override
  public void leaseRenewed() {
    renewals.increment();
  }

  @Override
  public void reaped(int attempts) {
    takeovers.increment(attempts);
  }

  @Override
  public void staleWriteRejected() {
    staleWrites.increment();
  }

  @Override
  public void outageStarted(String loop) {
    outages
        .computeIfAbsent(
            loop,
            l ->
                Counter.builder("flinkplatform.database.outages")
                    .description("times a loop could not reach the database")
                    .tags(base.and("loop", l))
                    .register(registry))
        .increment();
  }

  @Override
  public void outageEnded(String loop, long millis) {
    outageDurations
        .computeIfAbsent(
            loop,
            l ->
                Timer.builder("flinkplatform.database.outage.duration")
                    .description("how long a loop went without the database")
                    .tags(base.and("loop", l))
                    .register(registry))
        .record(Math.max(0, millis), TimeUnit.MILLISECONDS);
  }

  @Override
  public void alertDelivered(String channelType, boolean ok) {
    byState(
            deliveries,
            String.valueOf(channelType),
            2,
            ok ? 0 : 1,
            (c, i) ->
                Counter.builder("flinkplatform.alert.deliveries")
                    .description("alert delivery attempts, by channel type and outcome")
                    .tags(base.and("channel.type", c, "outcome", i == 0 ? "delivered" : "failed"))
                    .register(registry))
        .increment();
  }

  @Override
  public void readyAttempts(long high, long normal, long low) {
    readyHigh.set(high);
    readyNormal.set(normal);
    readyLow.set(low);
  }

  @Override
  public void health(BooleanSupplier up) {
    Gauge.builder("flinkplatform.health", up, u -> u.getAsBoolean() ? 1 : 0)
        .description("1 while this instance's loops run and its lease is renewed, else 0")
        .tags(base)
        .strongReference(true)
        .register(registry);
  }

  @Override
  public void gauge(
      String name, String description, Map<String, String> tags, Supplier<Number> value) {
    Tags all = base;
    for (Map.Entry<String, String> t : tags.entrySet()) {
      all = all.and(t.getKey(), t.getValue());
    }
    // a platform started again on the same registry registers again: its gauge replaces the
    // stopped one's (Micrometer would keep the first and its stale supplier)
    Gauge old = registry.find(name).tags(all).gauge();
    if (old != null && old.getId().getTags().size() == all.stream().count()) {
      registry.remove(old);
    }
    Gauge.builder(name, value, MicrometerMeters::read)
        .description(description)
        .tags(all)
        .strongReference(true) // the plugin keeps no reference to its supplier
        .register(registry);
  }

  /** A plugin's value: NaN for null or a failure, so a scrape never sees the plugin's exception. */
  private static double read(Supplier<Number> value) {
    try {
      Number n = value.get();
      return n == null ? Double.NaN : n.doubleValue();
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }

  /** The counter of {@code key} and state {@code index}, made by {@code make} the first time. */
  private static Counter byState(
      ConcurrentMap<String, AtomicReferenceArray<Counter>> map,
      String key,
      int states,
      int index,
      BiFunction<String, Integer, Counter> make) {
    AtomicReferenceArray<Counter> row =
        map.computeIfAbsent(key, k -> new AtomicReferenceArray<>(states));
    Counter c = row.get(index);
    if (c == null) {
      // registering twice returns the same meter: a lost race only makes the lookup once more
      c = make.apply(key, index);
      row.set(index, c);
    }
    return c;
  }

  @Override
  public String toString() {
    return "Micrometer meters on " + registry.getClass().getSimpleName();
  }
}
