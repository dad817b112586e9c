package io.flinkplatform.spi;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** What {@link ExternalTaskType#poll} reports: still running, or finished with an outcome. */
public sealed interface ExternalStatus {

  /**
   * The work is still going on.
   *
   * @param detail shown to people (e.g. "RUNNING, 2 restarts")
   * @param releaseDownstream the work is up and may be depended on while it runs (a streaming job
   *     that reached RUNNING): tasks behind a {@code RUNNING} edge of this task may start, while
   *     the task itself (and its run) stays running until the work ends
   * @param ref a new reference to poll and store from now on (e.g. once the external system
   *     assigned an id of its own), or empty to keep the current one
   */
  record Running(String detail, boolean releaseDownstream, Optional<ExternalRef> ref)
      implements ExternalStatus {
    public Running {
      requireNonNull(detail, "detail is null");
      requireNonNull(ref, "ref is null");
    }

    public Running(String detail) {
      this(detail, false, Optional.empty());
    }

    /** The same status, with a new reference for the engine to store. */
    public Running withRef(ExternalRef newRef) {
      return new Running(detail, releaseDownstream, Optional.of(newRef));
    }
  }

  /** The work ended. */
  record Finished(TaskOutcome outcome) implements ExternalStatus {
    public Finished {
      requireNonNull(outcome, "outcome is null");
    }
  }

  static Running running(String detail) {
    return new Running(detail);
  }

  /** Still running; with {@code releaseDownstream}, tasks behind RUNNING edges may start. */
  static Running running(String detail, boolean releaseDownstream) {
    return new Running(detail, releaseDownstream, Optional.empty());
  }

  static ExternalStatus finished(TaskOutcome outcome) {
    return new Finished(outcome);
  }
}
