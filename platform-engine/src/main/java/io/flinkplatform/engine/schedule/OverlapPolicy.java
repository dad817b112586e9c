package io.flinkplatform.engine.schedule;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * What a schedule does when a fire time comes while runs it started earlier are still active.
 *
 * @param kind the policy
 * @param maxParallel for {@link Kind#ALLOW}, how many of its runs may be active at once
 */
public record OverlapPolicy(Kind kind, int maxParallel) {

  public enum Kind {
    /** Do not start a run for this fire time; a {@code ScheduleFireSkipped} event says so. */
    SKIP,
    /** Create the run now, held in CREATED until the earlier runs ended; runs start in order. */
    QUEUE,
    /** Start up to {@code maxParallel} runs at once; further fire times queue. */
    ALLOW,
    /** Kill the active runs and start the new one at once. */
    CANCEL_PREVIOUS
  }

  public OverlapPolicy {
    requireNonNull(kind, "kind is null");
    checkArgument(maxParallel >= 1, "overlap maxParallel must be >= 1 but was %s", maxParallel);
  }

  public static OverlapPolicy skip() {
    return new OverlapPolicy(Kind.SKIP, 1);
  }

  public static OverlapPolicy queue() {
    return new OverlapPolicy(Kind.QUEUE, 1);
  }

  public static OverlapPolicy allow(int maxParallel) {
    return new OverlapPolicy(Kind.ALLOW, maxParallel);
  }

  public static OverlapPolicy cancelPrevious() {
    return new OverlapPolicy(Kind.CANCEL_PREVIOUS, 1);
  }
}
