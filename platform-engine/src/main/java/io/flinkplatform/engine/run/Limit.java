package io.flinkplatform.engine.run;

import static java.util.Objects.requireNonNull;

/**
 * A concurrency limit that holds across all instances, and how many attempts hold its slots now.
 *
 * @param kind what the limit covers
 * @param name the pool name, task type id or workflow name
 * @param slots how many attempts it covered may run at once
 * @param running how many RUNNING attempts it covers now (for {@link Kind#RUNS}: active runs)
 */
public record Limit(Kind kind, String name, int slots, int running) {
  public enum Kind {
    /** A named pool that tasks opt into with {@code TaskSpec.pool}. */
    POOL,
    /** Every task of one task type. */
    TASK_TYPE,
    /** Every task of every run of one workflow: its max parallel tasks. */
    WORKFLOW,
    /**
     * The runs of one workflow: its max active runs (set by deploying it). {@code running} counts
     * its active runs, not attempts.
     */
    RUNS
  }

  public Limit {
    requireNonNull(kind, "kind is null");
    requireNonNull(name, "name is null");
  }
}
