package io.flinkplatform.engine;

import static java.util.Objects.requireNonNull;

/**
 * A stored schedule cannot be read by this instance (an unknown zone id or a bad cron written past
 * the platform's checks, say). The scheduler quarantines such a row instead of firing it; saving
 * the schedule again, or repairing the row, ends that.
 */
public final class UnreadableScheduleException extends PlatformException {
  private static final long serialVersionUID = 1L;
  private final String scheduleName;
  private final String reason;

  public UnreadableScheduleException(String scheduleName, String reason, Throwable cause) {
    super(
        "schedule '"
            + requireNonNull(scheduleName, "scheduleName is null")
            + "' cannot be read: "
            + requireNonNull(reason, "reason is null")
            + " (it does not fire until it is saved again or its row is repaired)",
        cause);
    this.scheduleName = scheduleName;
    this.reason = reason;
  }

  /** The name of the schedule. */
  public String scheduleName() {
    return scheduleName;
  }

  /** Why its row cannot be read. */
  public String reason() {
    return reason;
  }
}
