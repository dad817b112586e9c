package io.flinkplatform.spi;

/**
 * Tells a running attempt to stop: the run was killed, the attempt timed out, or the instance is
 * stopping. Tasks either check {@link #isCancelled()} or register a callback.
 */
public interface Cancellation {

  boolean isCancelled();

  /** Why the attempt was cancelled, or {@code null} while it is not. */
  String reason();

  /**
   * Runs {@code action} once when cancellation happens (at once, on the calling thread, if it
   * already did). The action runs on a small pool shared by the instance's callbacks: it should not
   * block for long, as others may wait for a thread.
   */
  void onCancel(Runnable action);
}
