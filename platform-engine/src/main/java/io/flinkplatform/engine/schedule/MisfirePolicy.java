package io.flinkplatform.engine.schedule;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * What a schedule does with fire times it missed (every instance was down, or the schedule was
 * paused), that is fire times older than the schedule's misfire threshold when they are noticed.
 * Fire times that are late by less than the threshold simply fire.
 *
 * @param kind the policy
 * @param limit for {@link Kind#CATCH_UP}, the most missed fire times run (the latest ones)
 */
public record MisfirePolicy(Kind kind, int limit) {

  public enum Kind {
    /** Drop every missed fire time and go on with the next one in the future. */
    SKIP,
    /** Run once, for the latest missed fire time. */
    FIRE_ONCE,
    /** Run the latest {@code limit} missed fire times, oldest first. */
    CATCH_UP
  }

  public MisfirePolicy {
    requireNonNull(kind, "kind is null");
    checkArgument(
        kind != Kind.CATCH_UP || limit >= 1,
        "misfire CATCH_UP limit must be >= 1 but was %s",
        limit);
  }

  public static MisfirePolicy skip() {
    return new MisfirePolicy(Kind.SKIP, 0);
  }

  public static MisfirePolicy fireOnce() {
    return new MisfirePolicy(Kind.FIRE_ONCE, 1);
  }

  public static MisfirePolicy catchUp(int limit) {
    return new MisfirePolicy(Kind.CATCH_UP, limit);
  }
}
