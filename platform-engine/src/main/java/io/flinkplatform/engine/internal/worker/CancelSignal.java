package io.flinkplatform.engine.internal.worker;

import io.flinkplatform.spi.Cancellation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cancellation of one attempt, with the cause the engine needs to record the right state.
 *
 * <p>{@link #fire} is called on engine threads (the timer for timeouts, the heartbeat for kills
 * seen there and lost claims). It runs the engine's own actions ({@link #onCancelInline}, which
 * never block) inline and hands plugin callbacks ({@link #onCancel}) to a bounded pool of their
 * own, so a callback that blocks cannot hold up timeouts, polls or lease renewals.
 */
public final class CancelSignal implements Cancellation {
  public enum Cause {
    /** The run was killed: the attempt ends KILLED. */
    KILL,
    /** The attempt ran past its timeout: it ends FAILED and may be retried. */
    TIMEOUT,
    /** This instance stops or lost its lease: the attempt is handed back, not ended. */
    RELEASE
  }

  private static final Logger LOG = LoggerFactory.getLogger(CancelSignal.class);
  private final Executor callbacks;
  private final List<Runnable> inline = new ArrayList<>();
  private final List<Runnable> actions = new ArrayList<>();
  private Cause cause;
  private String reason;

  /** {@code callbacks} runs plugin callbacks; it must not run them on the calling thread. */
  CancelSignal(Executor callbacks) {
    this.callbacks = callbacks;
  }

  synchronized Cause cause() {
    return cause;
  }

  /** Fires the signal; the first cause wins. Returns whether this call fired it. */
  boolean fire(Cause cause, String reason) {
    List<Runnable> now;
    List<Runnable> later;
    synchronized (this) {
      if (this.cause != null) {
        return false;
      }
      this.cause = cause;
      this.reason = reason;
      now = List.copyOf(inline);
      later = List.copyOf(actions);
      inline.clear();
      actions.clear();
    }
    now.forEach(CancelSignal::runQuietly);
    for (Runnable action : later) {
      try {
        callbacks.execute(() -> runQuietly(action));
      } catch (RejectedExecutionException e) {
        LOG.warn(
            "a cancellation callback was not run ({}): the callback pool is full or stopped",
            reason);
      }
    }
    return true;
  }

  @Override
  public synchronized boolean isCancelled() {
    return cause != null;
  }

  @Override
  public synchronized String reason() {
    return reason;
  }

  /**
   * A plugin's callback: run on the callback pool when the signal fires, or at once on the calling
   * (plugin's) thread if it fired already.
   */
  @Override
  public void onCancel(Runnable action) {
    synchronized (this) {
      if (cause == null) {
        actions.add(action);
        return;
      }
    }
    runQuietly(action);
  }

  /** An engine action that never blocks (an interrupt): run on the thread that fires. */
  void onCancelInline(Runnable action) {
    synchronized (this) {
      if (cause == null) {
        inline.add(action);
        return;
      }
    }
    runQuietly(action);
  }

  private static void runQuietly(Runnable action) {
    try {
      action.run();
    } catch (Throwable e) {
      LOG.warn("a cancellation callback failed", e);
    }
  }
}
