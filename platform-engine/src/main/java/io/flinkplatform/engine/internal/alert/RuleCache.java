package io.flinkplatform.engine.internal.alert;

import io.flinkplatform.engine.alert.AlertKind;
import io.flinkplatform.engine.internal.store.AlertRuleRow;
import io.flinkplatform.engine.internal.store.StoreMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The enabled rules by kind, in memory: read with the caller's mapper when older than the refresh
 * interval or invalidated by a rule change on this instance. A stored rule this instance cannot
 * read (written by a newer version with a kind it does not know) is skipped with a warning, never
 * failing the caller's transaction.
 */
final class RuleCache {
  private static final Logger LOG = LoggerFactory.getLogger(RuleCache.class);
  private static final List<String> ALL_KINDS =
      Arrays.stream(AlertKind.values()).map(Enum::name).toList();

  private final long refreshNanos;
  private final AtomicLong generation = new AtomicLong();
  private volatile Snapshot snapshot;

  private record Snapshot(Map<AlertKind, List<StoredRule>> byKind, long at, long generation) {}

  RuleCache(Duration refresh) {
    this.refreshNanos = refresh.toNanos();
  }

  /** The next look reads the rules again. */
  void invalidate() {
    generation.incrementAndGet();
  }

  /** Whether an enabled rule of one of {@code kinds} exists (read again with {@code m} if due). */
  boolean anyOf(Set<AlertKind> kinds, StoreMapper m) {
    Map<AlertKind, List<StoredRule>> byKind = current(m).byKind();
    for (AlertKind k : kinds) {
      if (byKind.containsKey(k)) {
        return true;
      }
    }
    return false;
  }

  /** The enabled rules of {@code kind} as last read ({@link #anyOf} reads them when due). */
  List<StoredRule> of(AlertKind kind) {
    Snapshot s = snapshot;
    return s == null ? List.of() : s.byKind().getOrDefault(kind, List.of());
  }

  private Snapshot current(StoreMapper m) {
    Snapshot s = snapshot;
    long gen = generation.get();
    if (s == null || s.generation() != gen || System.nanoTime() - s.at() > refreshNanos) {
      s = load(m, gen);
      snapshot = s;
    }
    return s;
  }

  private static Snapshot load(StoreMapper m, long gen) {
    Map<AlertKind, List<StoredRule>> byKind = new EnumMap<>(AlertKind.class);
    for (AlertRuleRow row : m.selectEnabledAlertRules(ALL_KINDS)) {
      StoredRule rule;
      try {
        rule = StoredRule.of(row);
      } catch (RuntimeException e) {
        LOG.warn(
            "alert rule {} of workspace {} is not readable here and raises nothing: {}",
            row.name,
            row.workspace,
            e.getMessage());
        continue;
      }
      if (rule.rule().enabled()) {
        byKind.computeIfAbsent(rule.rule().kind(), k -> new ArrayList<>()).add(rule);
      }
    }
    byKind.replaceAll((k, v) -> List.copyOf(v));
    return new Snapshot(Map.copyOf(byKind), System.nanoTime(), gen);
  }
}
