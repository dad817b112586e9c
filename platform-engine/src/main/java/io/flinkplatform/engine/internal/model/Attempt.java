package io.flinkplatform.engine.internal.model;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.run.TaskState;
import java.util.Set;

/**
 * The latest attempt of one task as the model knows it: what a trigger-rule decision reads of an
 * upstream task, and what the model updates when a fact arrives.
 *
 * @param id the caller's identity of the attempt (its row id), or {@link #NOT_STORED} for an
 *     attempt the model planned and the caller has yet to store
 * @param number 1 for a task's first attempt
 * @param rerunBase the attempt number a rerun or mark started its series after (0 for none):
 *     retries count from there
 * @param state the attempt's state
 * @param branches the downstream task ids a success chose, or null for no choice (every edge may
 *     fire); kept for a SUCCESS only
 * @param released whether the attempt released the tasks behind its RUNNING edges while running; a
 *     release stays a fact of the attempt after it ends
 */
public record Attempt(
    long id, int number, int rerunBase, TaskState state, Set<String> branches, boolean released) {

  /** The id of an attempt the caller has not stored yet. */
  public static final long NOT_STORED = -1;

  public Attempt {
    requireNonNull(state, "state is null");
    branches = state == TaskState.SUCCESS ? branches : null;
  }

  /** An attempt of a first series that chose no branches and released nothing. */
  public static Attempt of(long id, int number, TaskState state) {
    return new Attempt(id, number, 0, state, null, false);
  }

  /** The same attempt in another state (a decision, a mark in place, a kill). */
  public Attempt in(TaskState to) {
    return new Attempt(id, number, rerunBase, to, branches, released);
  }

  /** The same attempt, now released. */
  public Attempt releasedNow() {
    return new Attempt(id, number, rerunBase, state, branches, true);
  }

  /** The task's next attempt, starting a new series (a rerun or a mark) in {@code state}. */
  public Attempt nextSeries(TaskState to) {
    return new Attempt(NOT_STORED, number + 1, number, to, null, false);
  }
}
