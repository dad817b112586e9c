package io.flinkplatform.engine.internal.store;

import io.flinkplatform.engine.internal.store.Rows.AttemptRow;
import io.flinkplatform.engine.internal.store.Rows.PoolRow;
import io.flinkplatform.engine.internal.store.Rows.RunRow;
import io.flinkplatform.engine.internal.store.Rows.UsageRow;
import java.util.ArrayList;
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
  public static final String POOL = "POOL";
  public static final String TASK_TYPE = "TASK_TYPE";
  public static final String WORKFLOW = "WORKFLOW";

  /** Not a task limit: a workflow's max active runs, whose row admission locks. */
  public static final String RUNS = "RUNS";

  /** Limits that are full now: the claim query skips the attempts they cover. */
  record Full(List<String> pools, List<String> types, List<Long> flowIds) {
    static final Full NONE = new Full(List.of(), List.of(), List.of());

    public boolean isEmpty() {
      return pools.isEmpty() && types.isEmpty() && flowIds.isEmpty();
    }
  }

  private final Map<String, Integer> slots = new HashMap<>();

  private Limits(List<PoolRow> rows) {
    rows.stream()
        .filter(r -> !RUNS.equals(r.kind))
        .forEach(r -> slots.put(key(r.kind, r.name), r.slots));
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
    Map<String, Integer> used = usage(m.selectRunningUsage());
    List<String> pools = new ArrayList<>();
    List<String> types = new ArrayList<>();
    List<String> flows = new ArrayList<>();
    slots.forEach(
        (k, n) -> {
          if (used.getOrDefault(k, 0) >= n) {
            String name = k.substring(k.indexOf(':') + 1);
            switch (k.substring(0, k.indexOf(':'))) {
              case POOL -> pools.add(name);
              case TASK_TYPE -> types.add(name);
              default -> flows.add(name);
            }
          }
        });
    List<Long> flowIds = flows.isEmpty() ? List.of() : m.selectFlowIds(flows);
    return new Full(pools, types, flowIds);
  }

  /**
   * Of the candidate attempts (in claim order), those that fit their limits; the others stay READY.
   * Locks the rows of the limits involved, in key order, then counts.
   */
  public List<AttemptRow> admit(
      StoreMapper m, List<AttemptRow> candidates, Map<Long, RunRow> runs) {
    Map<Long, List<String>> keysOf = new HashMap<>();
    Set<String> involved = new TreeSet<>();
    for (AttemptRow a : candidates) {
      List<String> keys = keys(a, runs.get(a.flowRunId));
      keysOf.put(a.id, keys);
      involved.addAll(keys);
    }
    if (involved.isEmpty()) {
      return candidates;
    }
    for (String k : involved) {
      int colon = k.indexOf(':');
      m.lockPool(k.substring(0, colon), k.substring(colon + 1));
    }
    Map<String, Integer> used = usage(m.selectRunningUsage());
    List<AttemptRow> admitted = new ArrayList<>();
    for (AttemptRow a : candidates) {
      List<String> keys = keysOf.get(a.id);
      if (keys.stream().allMatch(k -> used.getOrDefault(k, 0) < slots.get(k))) {
        keys.forEach(k -> used.merge(k, 1, Integer::sum));
        admitted.add(a);
      }
    }
    return admitted;
  }

  /** The limits an attempt would take a slot of. */
  public List<String> keys(AttemptRow a, RunRow run) {
    List<String> keys = new ArrayList<>(3);
    if (a.pool != null && slots.containsKey(key(POOL, a.pool))) {
      keys.add(key(POOL, a.pool));
    }
    if (slots.containsKey(key(TASK_TYPE, a.taskType))) {
      keys.add(key(TASK_TYPE, a.taskType));
    }
    if (run != null && slots.containsKey(key(WORKFLOW, run.flowName))) {
      keys.add(key(WORKFLOW, run.flowName));
    }
    return keys;
  }

  public Integer slots(String kind, String name) {
    return slots.get(key(kind, name));
  }

  public static Map<String, Integer> usage(List<UsageRow> rows) {
    Map<String, Integer> used = new HashMap<>();
    for (UsageRow u : rows) {
      if (u.pool != null) {
        used.merge(key(POOL, u.pool), u.n, Integer::sum);
      }
      used.merge(key(TASK_TYPE, u.taskType), u.n, Integer::sum);
      used.merge(key(WORKFLOW, u.flowName), u.n, Integer::sum);
    }
    return used;
  }

  public static String key(String kind, String name) {
    return kind + ":" + name;
  }
}
