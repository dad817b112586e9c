package io.flinkplatform.engine.internal;

import io.flinkplatform.spi.Cancellation;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The cancellation of one attempt, with the cause the engine needs to record the right state. */
final class CancelSignal implements Cancellation {
  enum Cause {
    /** The run was killed: the attempt ends KILLED. */
    KILL,
    /** The attempt ran past its timeout: it ends FAILED and may be retried. */
    TIMEOUT,
    /** This instance stops or lost its lease: the attempt is handed back, not ended. */
    RELEASE
  }

  private static final Logger LOG = LoggerFactory.getLogger(CancelSignal.class);
  private final List<Runnable> actions = new ArrayList<>();
  private Cause cause;
  private String reason;

  synchronized Cause cause() {
    return cause;
  }

  /** Fires the signal; the first cause wins. Returns whether this call fired it. */
  boolean fire(Cause cause, String reason) {
    List<Runnable> toRun;
    synchronized (this) {
      if (this.cause != null) {
        return false;
      }
      this.cause = cause;
      this.reason = reason;
      toRun = List.copyOf(actions);
      actions.clear();
    }
    toRun.forEach(CancelSignal::runQuietly);
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

  private static void runQuietly(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      LOG.warn("a cancellation callback failed", e);
    }
  }
}
