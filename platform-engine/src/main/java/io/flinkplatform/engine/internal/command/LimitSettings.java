package io.flinkplatform.engine.internal.command;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.engine.internal.common.Signals;
import io.flinkplatform.engine.internal.definition.WorkflowValidator;
import io.flinkplatform.engine.internal.store.Limits;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.internal.store.StoreMapper;
import io.flinkplatform.engine.run.Limit;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Sets, removes and lists the concurrency limits a host manages (pools, task type limits) and shows
 * every limit with its usage. A change wakes the dispatcher, since attempts a full limit held back
 * may fit now. How a claim applies the limits is {@link Limits}'.
 */
public final class LimitSettings {
  private final Store store;
  private final Signals signals;
  private final Clock clock;

  public LimitSettings(Store store, Signals signals, Clock clock) {
    this.store = store;
    this.signals = signals;
    this.clock = clock;
  }

  public void setPool(String name, int slots) {
    set(Limit.Kind.POOL, "name", name, slots);
  }

  public void setTaskTypeLimit(String taskType, int slots) {
    set(Limit.Kind.TASK_TYPE, "taskType", taskType, slots);
  }

  private void set(Limit.Kind kind, String field, String name, int slots) {
    requireNonNull(name, field + " is null");
    if (!WorkflowValidator.LABEL.matcher(name).matches()) {
      throw new InvalidRequestException(
          field, "'" + name + "' must match " + WorkflowValidator.LABEL.pattern());
    }
    if (slots < 1) {
      throw new InvalidRequestException("slots", "must be at least 1 but was " + slots);
    }
    store.run(
        "set limit " + kind + " " + name, m -> m.upsertPool(kind, name, slots, clock.millis()));
    signals.workReady(0);
  }

  public boolean remove(Limit.Kind kind, String name) {
    requireNonNull(kind, "kind is null");
    requireNonNull(name, "name is null");
    boolean removed = store.tx("remove limit", m -> m.deletePool(kind, name) > 0);
    signals.workReady(0);
    return removed;
  }

  /** Every limit with its usage now, by kind then name. */
  public List<Limit> all() {
    return store.tx("read limits", LimitSettings::withUsage);
  }

  private static List<Limit> withUsage(StoreMapper m) {
    Map<Limits.Key, Integer> used = Limits.usage(m.selectRunningUsage());
    return m.selectPools().stream()
        .map(
            p ->
                new Limit(
                    p.kind,
                    p.name,
                    p.slots,
                    p.kind == Limit.Kind.RUNS
                        ? m.countActiveRunsOfFlow(p.name)
                        : used.getOrDefault(new Limits.Key(p.kind, p.name), 0)))
        .sorted(Comparator.comparing(Limit::kind).thenComparing(Limit::name))
        .toList();
  }
}
