package io.flinkplatform.tasks.flink;

/**
 * The platform database failed a Flink plugin read or write (the message says which). Not a
 * conflict with a job's state: the console answers 500 with an error id, not 409.
 */
final class FlinkStoreException extends FlinkTaskException {
  private static final long serialVersionUID = 1L;

  FlinkStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
