package io.flinkplatform.tasks.flink;

/**
 * A Flink task operation failed; the message names the attempt or record involved, what was wrong,
 * and what is allowed.
 */
public class FlinkTaskException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public FlinkTaskException(String message) {
    super(message);
  }

  public FlinkTaskException(String message, Throwable cause) {
    super(message, cause);
  }
}
