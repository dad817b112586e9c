package io.flinkplatform.engine.internal.command;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.engine.access.Action;
import io.flinkplatform.engine.internal.access.Access;
import io.flinkplatform.engine.internal.access.Caller;
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
  private final Access access;
  private final Clock clock;

  public LimitSettings(Store store, Signals signals, Access access, Clock clock) {
    this.store = store;
    this.signals = signals;
    this.access = access;
    this.clock = clock;
  }

  /** Sets the slots of a pool of the caller's workspace. */
  public void setPool(Caller caller, String name, int slots) {
    set(caller, Action.LIMIT_SET, Limit.Kind.POOL, "name", name, slots);
  }

  /** Sets a task type's limit, across all workspaces. */
  public void setTaskTypeLimit(Caller caller, String taskType, int slots) {
    set(caller, Action.TASK_TYPE_LIMIT_SET, Limit.Kind.TASK_TYPE, "taskType", taskType, slots);
  }

  /**
   * Task-type limits are the platform's: their rows carry no workspace, like other such changes.
   */
  private static Caller audited(Caller caller, Limit.Kind kind) {
    return kind == Limit.Kind.TASK_TYPE ? new Caller(caller.actor(), "") : caller;
  }

  /**
   * How {@code t_pool} names a limit: workspace/name, except task types, which are the platform's.
   */
  private static String stored(Caller caller, Limit.Kind kind, String name) {
    return kind == Limit.Kind.TASK_TYPE ? name : Limits.scoped(caller.workspace(), name);
  }

  private void set(
      Caller caller, Action action, Limit.Kind kind, String field, String name, int slots) {
    requireNonNull(name, field + " is null");
    if (!WorkflowValidator.LABEL.matcher(name).matches()) {
      throw new InvalidRequestException(
          field, "'" + name + "' must match " + WorkflowValidator.LABEL.pattern());
    }
    if (slots < 1) {
      throw new InvalidRequestException("slots", "must be at least 1 but was " + slots);
    }
    store.run(
        "set limit " + kind + " " + name,
        m -> {
          m.upsertPool(kind, stored(caller, kind, name), slots, clock.millis());
          access.audit(m, audited(caller, kind), action, kind + ":" + name, "slots " + slots);
        });
    signals.workReady(0);
  }

  /** Removes a limit of the caller's workspace (a task type's: the platform's). */
  public boolean remove(Caller caller, Limit.Kind kind, String name) {
    requireNonNull(kind, "kind is null");
    requireNonNull(name, "name is null");
    Action action = kind == Limit.Kind.TASK_TYPE ? Action.TASK_TYPE_LIMIT_SET : Action.LIMIT_REMOVE;
    boolean removed =
        store.tx(
            "remove limit",
            m -> {
              boolean gone = m.deletePool(kind, stored(caller, kind, name)) > 0;
              if (gone) {
                access.audit(m, audited(caller, kind), action, kind + ":" + name, "removed");
              }
              return gone;
            });
    signals.workReady(0);
    return removed;
  }

  /**
   * The limits of the caller's workspace and the platform's task-type limits, with their usage now,
   * by kind then name; names as the workspace writes them.
   */
  public List<Limit> all(Caller caller) {
    return store.tx("read limits", m -> withUsage(m, caller.workspace()));
  }

  private static List<Limit> withUsage(StoreMapper m, String workspace) {
    Map<Limits.Key, Integer> used = Limits.usage(m.selectRunningUsage());
    String prefix = workspace + "/";
    return m.selectPools().stream()
        .filter(p -> p.kind == Limit.Kind.TASK_TYPE || p.name.startsWith(prefix))
        .map(
            p -> {
              String name =
                  p.kind == Limit.Kind.TASK_TYPE ? p.name : p.name.substring(prefix.length());
              return new Limit(
                  p.kind,
                  name,
                  p.slots,
                  p.kind == Limit.Kind.RUNS
                      ? m.countActiveRunsOfFlow(workspace, name)
                      : used.getOrDefault(new Limits.Key(p.kind, p.name), 0));
            })
        .sorted(Comparator.comparing(Limit::kind).thenComparing(Limit::name))
        .toList();
  }
}
