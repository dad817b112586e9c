package io.flinkplatform.spi;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/** How an attempt ended: success with outputs, failure (retryable or not), or skipped. */
public sealed interface TaskOutcome {

  /** The task did its work; {@code outputs} become parameters of the tasks after it. */
  record Success(Map<String, String> outputs) implements TaskOutcome {
    public Success {
      outputs = Map.copyOf(requireNonNull(outputs, "outputs is null"));
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
