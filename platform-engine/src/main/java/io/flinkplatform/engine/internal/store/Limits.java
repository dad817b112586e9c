package io.flinkplatform.engine.internal.store;

import io.flinkplatform.engine.run.Limit;
import io.flinkplatform.spi.Workspaces;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Concurrency limits as the claim transaction applies them. A limit is a {@code t_pool} row: a
 * named pool tasks opt into, a task type, or a workflow (its max parallel tasks). Its usage is the
 * number of RUNNING attempts it covers, counted after the claim has locked the limit's row, so two
 * instances never both take the last slot.
 */
public final class Limits {
  /** One limit: its kind and the pool name, task type id or workflow name it covers. */
  public record Key(Limit.Kind kind, String name) implements Comparable<Key> {
    private static final Comparator<Key> ORDER =
        Comparator.comparing((Key k) -> k.kind.name()).thenComparing(Key::name);

    /** Limit rows are locked in this order by every instance, so two claims never deadlock. */
    @Override
    public int compareTo(Key other) {
      return ORDER.compare(this, other);
    }
  }

  /** Limits that are full now: the claim query skips the attempts they cover. */
  record Full(List<String> pools, List<String> types, List<Long> flowIds) {
    static final Full NONE = new Full(List.of(), List.of(), List.of());

    public boolean isEmpty() {
      return pools.isEmpty() && types.isEmpty() && flowIds.isEmpty();
    }
  }

  private final Map<Key, Integer> slots = new HashMap<>();

  private Limits(List<PoolRow> rows) {
    rows.stream()
        .filter(r -> r.kind != Limit.Kind.RUNS)
        .forEach(r -> slots.put(new Key(r.kind, r.name), r.slots));
  }

  /** The limits defined now (an unlocked read of a small table). */
  public static Limits read(StoreMapper m) {
    return new Limits(m.selectPools());
  }

  public boolean isEmpty() {
    return slots.isEmpty();
  }

  /** Which limits are full, from an unlocked count: a hint for the claim query only. */
  public Full full(StoreMapper m) {
    if (slots.isEmpty()) {
      return Full.NONE;
    }
    Map<Key, Integer> used = usage(m.selectRunningUsage());
    List<String> pools = new ArrayList<>();
    List<String> types = new ArrayList<>();
    List<String> flows = new ArrayList<>();
    slots.forEach(
        (k, n) -> {
          if (used.getOrDefault(k, 0) >= n) {
            switch (k.kind()) {
              case POOL -> pools.add(k.name());
              case TASK_TYPE -> types.add(k.name());
              default -> flows.add(k.name());
            }
          }
        });
    List<Long> flowIds =
        flows.isEmpty()
            ? List.of()
            : m.selectFlowIds(flows.stream().map(f -> Workspaces.resolve("", f)).toList());
    return new Full(pools, types, flowIds);
  }

  /**
   * Of the candidate attempts (in claim order), those that fit their limits; the others stay READY.
   * Locks the rows of the limits involved, in key order, then counts.
   */
  public List<AttemptRow> admit(
      StoreMapper m, List<AttemptRow> candidates, Map<Long, RunRow> runs) {
    Map<Long, List<Key>> keysOf = new HashMap<>();
    Set<Key> involved = new TreeSet<>();
    for (AttemptRow a : candidates) {
      List<Key> keys = keys(a, runs.get(a.flowRunId));
      keysOf.put(a.id, keys);
      involved.addAll(keys);
    }
    if (involved.isEmpty()) {
      return candidates;
    }
    for (Key k : involved) {
      m.lockPool(k.kind(), k.name());
    }
    Map<Key, Integer> used = usage(m.selectRunningUsage());
    List<AttemptRow> admitted = new ArrayList<>();
    for (AttemptRow a : candidates) {
      List<Key> keys = keysOf.get(a.id);
      if (keys.stream().allMatch(k -> used.getOrDefault(k, 0) < slots.get(k))) {
        keys.forEach(k -> used.merge(k, 1, Integer::sum));
        admitted.add(a);
      }
    }
    return admitted;
  }

  /** The limits an attempt would take a slot of. */
  public List<Key> keys(AttemptRow a, RunRow run) {
    List<Key> keys = new ArrayList<>(3);
    if (a.pool != null && slots.containsKey(new Key(Limit.Kind.POOL, a.pool))) {
      keys.add(new Key(Limit.Kind.POOL, a.pool));
    }
    if (slots.containsKey(new Key(Limit.Kind.TASK_TYPE, a.taskType))) {
      keys.add(new Key(Limit.Kind.TASK_TYPE, a.taskType));
    }
    if (run != null) {
      Key workflow = new Key(Limit.Kind.WORKFLOW, scoped(run.workspace, run.flowName));
      if (slots.containsKey(workflow)) {
        keys.add(workflow);
      }
    }
    return keys;
  }

  /**
   * How a workspace's pool, workflow limit or max active runs is named in {@code t_pool} and in an
   * attempt's {@code pool}: {@code workspace/name}, so that two workspaces' names never meet.
   */
  public static String scoped(String workspace, String name) {
    return new Workspaces.Ref(workspace, name).qualified();
  }

  public Integer slots(Key key) {
    return slots.get(key);
  }

  public static Map<Key, Integer> usage(List<UsageRow> rows) {
    Map<Key, Integer> used = new HashMap<>();
    for (UsageRow u : rows) {
      if (u.pool != null) {
        used.merge(new Key(Limit.Kind.POOL, u.pool), u.n, Integer::sum);
      }
      used.merge(new Key(Limit.Kind.TASK_TYPE, u.taskType), u.n, Integer::sum);
      used.merge(new Key(Limit.Kind.WORKFLOW, u.flowName), u.n, Integer::sum);
    }
    return used;
  }
}
