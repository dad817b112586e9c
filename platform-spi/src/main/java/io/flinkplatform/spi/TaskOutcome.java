package io.flinkplatform.spi;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** How an attempt ended: success with outputs, failure (retryable or not), or skipped. */
public sealed interface TaskOutcome {

  /**
   * The task did its work; {@code outputs} become parameters of the tasks after it.
   *
   * @param outputs values for the tasks directly downstream
   * @param branches if present, the ids of the downstream tasks whose edges from this task fire;
   *     edges to every other downstream task do not fire, as if this task had not run for them
   *     (they follow their trigger rules, usually ending {@code SKIPPED}). Empty: every edge fires.
   */
  record Success(Map<String, String> outputs, Optional<Set<String>> branches)
      implements TaskOutcome {
    public Success {
      outputs = Map.copyOf(requireNonNull(outputs, "outputs is null"));
      branches = requireNonNull(branches, "branches is null").map(Set::copyOf);
    }

    /** A success whose edges all fire. */
    public Success(Map<String, String> outputs) {
      this(outputs, Optional.empty());
    }
  }

  /** The task failed; a retryable failure is retried while the task's retry policy allows. */
  record Failure(String message, boolean retryable) implements TaskOutcome {
    public Failure {
      requireNonNull(message, "message is null");
    }
  }

  /** The task decided not to do its work; downstream tasks follow their trigger rules. */
  record Skipped(String reason) implements TaskOutcome {
    public Skipped {
      requireNonNull(reason, "reason is null");
    }
  }

  static TaskOutcome success() {
    return new Success(Map.of());
  }

  static TaskOutcome success(Map<String, String> outputs) {
    return new Success(outputs);
  }

  /**
   * A success that chooses branches: only the edges from this task to the downstream tasks named in
   * {@code downstreamTaskIds} fire (see {@link Success#branches()}).
   */
  static TaskOutcome branch(Map<String, String> outputs, Set<String> downstreamTaskIds) {
    return new Success(
        outputs, Optional.of(requireNonNull(downstreamTaskIds, "downstreamTaskIds is null")));
  }

  static TaskOutcome failure(String message) {
    return new Failure(message, true);
  }

  static TaskOutcome fatal(String message) {
    return new Failure(message, false);
  }

  static TaskOutcome skipped(String reason) {
    return new Skipped(reason);
  }
}
