package io.flinkplatform.engine.internal.worker;

import io.flinkplatform.engine.internal.progress.Result;
import io.flinkplatform.engine.internal.store.AttemptRow;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.internal.worker.CancelSignal.Cause;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.spi.ExternalRef;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stopping external work: asks the external system to stop the work of a killed or timed-out
 * attempt (a timeout only once the database confirmed the claim), ends an attempt whose work did
 * not report an end within the cancellation grace ({@link #abandon}), and stops the work of an
 * attempt that failed on polling before its failure is recorded ({@link #stopThenEnd}), so that a
 * retry never runs next to a second copy.
 */
final class ExternalStops {
  private static final Logger LOG = LoggerFactory.getLogger(ExternalStops.class);

  /** How long stopping the external work of an attempt that failed on polling may take. */
  static final long STOP_TIMEOUT_MS = 30_000;

  private final Store store;
  private final ExecutorService workers;
  private final ScheduledExecutorService timers;
  private final Executor executor;

  ExternalStops(
      Store store, ExecutorService workers, ScheduledExecutorService timers, Executor executor) {
    this.store = store;
    this.workers = workers;
    this.timers = timers;
    this.executor = executor;
  }

  /** A kill or timeout reached the attempt: asks the external system to stop its work. */
  void askToStop(ExternalAttempt t) {
    LocalAttempt la = t.la;
    workers.execute(
        () -> {
          try {
            if (la.cancel.cause() == Cause.TIMEOUT && !stillHeld(la)) {
              return;
            }
            t.type.cancel(t.ctx, t.ref);
            t.note("asked external work " + t.ref.id() + " to stop: " + la.cancel.reason());
          } catch (Throwable e) {
            LOG.warn("cancelling external work of {} failed", la.claim.describe(), e);
          }
        });
  }

  /**
   * A kill or timeout cancelled the attempt, and its external work did not report an end within the
   * cancellation grace (the external system ignored the cancel, or it could not be sent): the
   * attempt ends KILLED, or FAILED without a retry (a retry next to work that may still run would
   * run it twice), it is polled no more, and the log says once that the work may still run. Returns
   * whether this call ended it. The work's reference must be known.
   */
  boolean abandon(ExternalAttempt t, Duration grace) {
    LocalAttempt la = t.la;
    ExternalRef ref = t.ref;
    String why =
        la.cancel.reason()
            + "; external work "
            + ref.id()
            + " did not report an end within "
            + Outcomes.describe(grace)
            + " and was abandoned: it may still run"
            + (la.cancel.cause() == Cause.KILL ? "" : ", so it is not retried");
    Result result =
        la.cancel.cause() == Cause.KILL
            ? Outcomes.result(la.claim, TaskState.KILLED, false, Map.of(), why, la.log)
            : Outcomes.result(la.claim, TaskState.FAILED, false, Map.of(), why, la.log);
    if (!executor.finish(la, result, la.log)) {
      return false;
    }
    LOG.warn(
        "{}: {}; it is no longer polled: stop {} in the external system if it does not end",
        la.claim.describe(),
        why,
        ref.id() + (ref.attributes().isEmpty() ? "" : " " + ref.attributes()));
    return true;
  }

  /**
   * Ends an attempt that failed while its external work may still run: asks the external system to
   * stop that work first, on the bounded callback pool, and records the failure once that call
   * returned or {@link #STOP_TIMEOUT_MS} passed. Nothing is stopped for an attempt that is no
   * longer this instance's, was cancelled already (a kill or timeout asked for the stop), or is
   * handed back for its log.
   */
  void stopThenEnd(ExternalAttempt t, Result result, String why, Consumer<Result> end) {
    LocalAttempt la = t.la;
    ExternalRef ref = t.ref;
    if (ref == null
        || la.lost
        || la.cancel.isCancelled()
        || result == null
        || result.state() != TaskState.FAILED
        || t.log.failure() != null) {
      end.accept(result);
      return;
    }
    AtomicBoolean ended = new AtomicBoolean();
    Runnable endOnce =
        () -> {
          if (ended.compareAndSet(false, true)) {
            end.accept(result);
          }
        };
    try {
      Future<?> stopping =
          executor
              .callbacks()
              .submit(
                  () -> {
                    try {
                      t.type.cancel(t.ctx, ref);
                      t.note("asked external work " + ref.id() + " to stop: " + why);
                    } catch (Throwable e) {
                      LOG.warn(
                          "{}: stopping external work {} failed", la.claim.describe(), ref.id(), e);
                    } finally {
                      endOnce.run();
                    }
                  });
      timers.schedule(
          () -> {
            if (!ended.get()) {
              LOG.warn(
                  "{}: stopping external work {} did not return within {} ms; recording the"
                      + " failure anyway",
                  la.claim.describe(),
                  ref.id(),
                  STOP_TIMEOUT_MS);
              stopping.cancel(true);
              endOnce.run();
            }
          },
          STOP_TIMEOUT_MS,
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException full) {
      LOG.warn(
          "{}: external work {} could not be asked to stop (the callback pool is full or"
              + " stopped)",
          la.claim.describe(),
          ref.id());
      endOnce.run();
    }
  }

  /**
   * Whether the attempt's row still carries this claim (its epoch, RUNNING). If not, or if that
   * cannot be read now, the attempt is abandoned here and its external work left alone.
   */
  private boolean stillHeld(LocalAttempt la) {
    try {
      List<AttemptRow> rows =
          store.tx(
              "confirm the claim of " + la.claim.describe(),
              m -> m.selectHolders(List.of(la.claim.id())));
      if (rows.size() == 1 && la.claim.isHeldIn(rows.get(0))) {
        return true;
      }
      LOG.warn(
          "{} timed out, but its claim (epoch {}) is no longer valid: external work is left to"
              + " the new owner",
          la.claim.describe(),
          la.claim.epoch());
    } catch (RuntimeException e) {
      LOG.warn(
          "{} timed out, but its claim cannot be confirmed: external work is left running",
          la.claim.describe(),
          e);
    }
    executor.abandon(la, "the claim could not be confirmed when the attempt timed out");
    return false;
  }
}
