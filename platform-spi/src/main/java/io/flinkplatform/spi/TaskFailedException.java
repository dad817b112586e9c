package io.flinkplatform.spi;

import static java.util.Objects.requireNonNull;

/**
 * Thrown by a task (from {@link TaskType#execute} or {@link ExternalTaskType#submit}, {@code
 * reattach} or {@code poll}) to fail its attempt with a message of its own and say whether a retry
 * could help. Any other exception fails the attempt as retryable.
 */
public final class TaskFailedException extends Exception {
  private static final long serialVersionUID = 1L;
  private final boolean retryable;

  public TaskFailedException(String message, boolean retryable) {
    super(requireNonNull(message, "message is null"));
    this.retryable = retryable;
  }

  /** A failure that no retry can mend (bad configuration, a script that cannot be planned). */
  public static TaskFailedException fatal(String message) {
    return new TaskFailedException(message, false);
  }

  /** A failure that a later attempt may not meet (an unreachable cluster). */
  public static TaskFailedException retryable(String message) {
    return new TaskFailedException(message, true);
  }

  public boolean retryable() {
    return retryable;
  }

  /** The outcome this failure stands for. */
  public TaskOutcome outcome() {
    return new TaskOutcome.Failure(getMessage(), retryable);
  }
}
