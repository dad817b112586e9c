package io.flinkplatform.spi;

import static java.util.Objects.requireNonNull;

/** What {@link ExternalTaskType#poll} reports: still running, or finished with an outcome. */
public sealed interface ExternalStatus {

  /** The work is still going on; {@code detail} is shown to people (e.g. "RUNNING, 2 restarts"). */
  record Running(String detail) implements ExternalStatus {
    public Running {
      requireNonNull(detail, "detail is null");
    }
  }

  /** The work ended. */
  record Finished(TaskOutcome outcome) implements ExternalStatus {
    public Finished {
      requireNonNull(outcome, "outcome is null");
    }
  }

  static ExternalStatus running(String detail) {
    return new Running(detail);
  }

  static ExternalStatus finished(TaskOutcome outcome) {
    return new Finished(outcome);
  }
}
