package io.flinkplatform.engine.internal.model;

import java.util.HashMap;
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

  /** The latest of {@code rows} per task. */
  public static <T> Map<String, T> of(
      Iterable<? extends T> rows,
      Function<? super T, String> task,
      ToIntFunction<? super T> number) {
    Map<String, T> latest = new HashMap<>();
    for (T row : rows) {
      put(latest, task.apply(row), row, number);
    }
    return latest;
  }

  /** Puts {@code row} as {@code task}'s latest unless {@code latest} holds a later attempt. */
  public static <T> void put(
      Map<String, T> latest, String task, T row, ToIntFunction<? super T> number) {
    T held = latest.get(task);
    if (held == null || replaces(number.applyAsInt(row), number.applyAsInt(held))) {
      latest.put(task, row);
    }
  }
}
