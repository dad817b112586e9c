package io.flinkplatform.engine.internal.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * The one rule that "a task's state is its latest attempt's": of a task's attempts, the one with
 * the highest attempt number counts (attempts are never overwritten; retries, reruns and marks add
 * new ones). Generic over the caller's rows, so a reader of rows (completion, reruns, explain,
 * upstream views, pictures) keeps its own row type and picks the latest here.
 */
public final class LatestAttempts {
  private LatestAttempts() {}

  /**
   * Whether an attempt numbered {@code candidate} replaces one numbered {@code held} as its task's
   * latest: only a higher number does (of equal numbers, the first seen stays).
   */
  public static boolean replaces(int candidate, int held) {
    return candidate > held;
  }

  /**
   * The latest of {@code rows} per key (a task id, or a run id for the attempts of one task in many
   * runs), keys in the order first read.
   */
  public static <K, T> Map<K, T> of(
      Iterable<? extends T> rows, Function<? super T, K> key, ToIntFunction<? super T> number) {
    Map<K, T> latest = new LinkedHashMap<>();
    for (T row : rows) {
      put(latest, key.apply(row), row, number);
    }
    return latest;
  }

  /** Puts {@code row} as {@code key}'s latest unless {@code latest} holds a later attempt. */
  public static <K, T> void put(Map<K, T> latest, K key, T row, ToIntFunction<? super T> number) {
    T held = latest.get(key);
    if (held == null || replaces(number.applyAsInt(row), number.applyAsInt(held))) {
      latest.put(key, row);
    }
  }
}
