package io.flinkplatform.tasks.shell;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.spi.TaskContext;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** What ends the wait for an attempt's process: its exit, a cancellation, the deadline. */
final class StopCondition {

  /** Why waiting for the process stopped. */
  enum Stop {
    EXITED,
    CANCELLED,
    TIMED_OUT,
    INTERRUPTED
  }

  private final TaskContext context;

  StopCondition(TaskContext context) {
    this.context = requireNonNull(context, "context is null");
  }

  /**
   * Waits until the process exits, the cancellation fires, the deadline passes (measured with the
   * context's clock) or the thread is interrupted, whichever comes first.
   *
   * <p>The engine interrupts an attempt's thread as part of cancelling it (a kill, its timeout, the
   * instance stopping), before the plugin callbacks run: an interrupt once the cancellation has
   * fired is that cancellation ({@link Stop#CANCELLED} or {@link Stop#TIMED_OUT}), which allows the
   * process its grace period. Only an interrupt without a cancellation is {@link Stop#INTERRUPTED}.
   */
  Stop await(Process process) {
    requireNonNull(process, "process is null");
    CompletableFuture<Stop> stop = new CompletableFuture<>();
    process.onExit().thenRun(() -> stop.complete(Stop.EXITED));
    context.cancellation().onCancel(() -> stop.complete(Stop.CANCELLED));
    try {
      Instant deadline = context.deadline().orElse(null);
      Stop result =
          deadline == null ? stop.get() : stop.get(millisUntil(deadline), TimeUnit.MILLISECONDS);
      // The engine fires the cancellation at the deadline too; that is a timeout.
      return result == Stop.CANCELLED && deadlinePassed() ? Stop.TIMED_OUT : result;
    } catch (TimeoutException e) {
      return Stop.TIMED_OUT;
    } catch (InterruptedException e) {
      if (cancelled()) {
        return deadlinePassed() ? Stop.TIMED_OUT : Stop.CANCELLED;
      }
      return Stop.INTERRUPTED;
    } catch (ExecutionException e) {
      throw new IllegalStateException("waiting for the process failed", e);
    }
  }

  boolean cancelled() {
    return context.cancellation().isCancelled();
  }

  boolean deadlinePassed() {
    return context.deadline().map(d -> millisUntil(d) == 0).orElse(false);
  }

  private long millisUntil(Instant deadline) {
    return Math.max(0, Duration.between(context.clock().instant(), deadline).toMillis());
  }
}
