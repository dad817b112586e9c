package io.flinkplatform.engine.internal.worker;

import io.flinkplatform.engine.internal.common.Json;
import io.flinkplatform.engine.internal.lease.LeaseWatchdog;
import io.flinkplatform.engine.internal.progress.Result;
import io.flinkplatform.engine.internal.store.Rows.AttemptRow;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.internal.worker.CancelSignal.Cause;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.spi.ExternalRef;
import io.flinkplatform.spi.ExternalStatus;
import io.flinkplatform.spi.ExternalTaskType;
import io.flinkplatform.spi.TaskFailedException;
import io.flinkplatform.spi.TaskOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives external work (submit or re-attach, persist the reference, poll, cancel) without holding a
 * worker thread between polls. Released attempts (shutdown, lost lease) stop polling and leave the
 * external work running so that the next owner re-attaches to it. A timeout asks the external
 * system to stop only after the database confirmed the claim: an instance that was frozen past its
 * lease sees its deadlines pass at once when it thaws, for work that is another's by then. If the
 * external system ignores the cancel of a kill or timeout, the attempt still ends once the
 * cancellation grace passed ({@link #abandon}), its work possibly left running.
 *
 * <p>Every plugin call catches {@link Throwable}: an {@link Error} from submit, re-attach or poll
 * (a {@code LinkageError} from a class-path conflict, say) ends the attempt FAILED at once, since
 * polling a broken plugin again does not mend it; a fatal one (out of memory) is rethrown after.
 * While a call runs, its thread is the attempt's {@code busy} thread, which the executor abandons
 * if the call outlasts a kill or timeout by the cancellation grace.
 *
 * <p>An attempt that fails on polling (poll threw {@value #MAX_POLL_FAILURES} times in a row, or
 * threw an {@link Error}) asks the external system to stop its work before the failure is recorded,
 * so that a retry never runs next to a second copy; that call runs on the executor's bounded pool
 * of cancellation callbacks and is given up after {@link #STOP_TIMEOUT_MS}. An attempt that fails
 * while its log cannot be written is handed back instead, like a synchronous one ({@link
 * Executor#failedForItsLog}): its work is left running for the next owner. The driver's own log
 * lines never fail an attempt.
 */
public final class ExternalDriver {
  private static final Logger LOG = LoggerFactory.getLogger(ExternalDriver.class);
  private static final int MAX_POLL_FAILURES = 10;

  /** How long stopping the external work of an attempt that failed on polling may take. */
  static final long STOP_TIMEOUT_MS = 30_000;

  private final Store store;
  private final ExecutorService workers;
  private final ScheduledExecutorService timers;
  private final Executor executor;
  private final ExternalPoller poller;
  private final Map<Long, Tracked> tracked = new ConcurrentHashMap<>();

  private static final class Tracked {
    final LocalAttempt la;
    final ExternalTaskType type;
    final AttemptContext ctx;
    final LocalLogStore.Sink log;
    volatile ExternalRef ref;
    int pollFailures;
    String detail = "";
    boolean released;

    Tracked(LocalAttempt la, ExternalTaskType type, AttemptContext ctx, LocalLogStore.Sink log) {
      this.la = la;
      this.type = type;
      this.ctx = ctx;
      this.log = log;
    }
  }

  ExternalDriver(
      Store store,
      ExecutorService workers,
      ScheduledExecutorService timers,
      Executor executor,
      ExternalPoller poller) {
    this.store = store;
    this.workers = workers;
    this.timers = timers;
    this.executor = executor;
    this.poller = poller;
  }

  /** Whether the attempt is external work here with no plugin call running (between polls). */
  boolean waitingForPoll(LocalAttempt la) {
    Tracked t = tracked.get(la.claim.id());
    return t != null && t.la == la && la.busy == null && poller.scheduled(la);
  }

  /** Submits or re-attaches, on the calling worker thread, then schedules the first poll. */
  void begin(LocalAttempt la, ExternalTaskType type, AttemptContext ctx, LocalLogStore.Sink log) {
    if (!LeaseWatchdog.mayStart(la, "its external work")) {
      executor.abandon(la, "the lease may have lapsed before the external work was submitted");
      executor.finish(la, null, log); // handed back
      return;
    }
    Tracked t = new Tracked(la, type, ctx, log);
    la.busy = Thread.currentThread();
    tracked.put(la.claim.id(), t);
    try {
      String stored = la.claim.attempt().externalRef;
      if (stored != null) {
        ExternalRef old = Json.readRef(stored);
        t.ref = type.reattach(ctx, old);
        if (!t.ref.equals(old)) {
          storeRef(t, t.ref);
        }
        t.released = la.claim.attempt().releasedAt != null;
        note(log, "re-attached to external work " + t.ref.id());
      } else {
        ExternalRef ref = type.submit(ctx);
        int updated =
            store.tx(
                "store the external reference of " + la.claim.describe(),
                m -> m.setExternalRef(la.claim.id(), la.claim.epoch(), Json.writeRef(ref)));
        t.ref = ref;
        if (updated == 0) {
          LOG.warn(
              "{} lost its claim while submitting; external work {} is left to the new owner",
              la.claim.describe(),
              ref.id());
          la.cancel.fire(Cause.RELEASE, "claim lost while submitting");
          end(t, null);
          return;
        }
        note(log, "submitted external work " + ref.id());
      }
      la.busy = null;
      if (la.cancel.isCancelled()) {
        cancelled(la);
      }
      schedulePoll(t);
    } catch (Throwable e) {
      la.busy = null;
      failed(t, e, "submitting", false);
    } finally {
      la.busy = null;
      executor.left(la);
    }
  }

  /**
   * A plugin call threw: the attempt ends FAILED (its own failure for an exception), after its
   * external work was asked to stop when {@code stop} (the work may still run).
   */
  private void failed(Tracked t, Throwable e, String doing, boolean stop) {
    if (e instanceof Error) {
      LOG.error("{} failed while {}", t.la.claim.describe(), doing, e);
    }
    try {
      Result result = executor.toResult(t.la.claim, Executor.failureOf(e), t.la.cancel, t.log);
      if (stop && !Executor.fatal(e)) {
        stopThenEnd(t, result, "the attempt failed while " + doing);
      } else {
        end(t, result);
      }
    } catch (Throwable again) {
      // out of memory, most likely: the cancellation grace or the lease deals with it
    }
    if (Executor.fatal(e)) {
      throw (Error) e;
    }
  }

  /** Stores a new reference the task type handed over, while the claim's epoch holds. */
  private void storeRef(Tracked t, ExternalRef ref) {
    int updated =
        store.tx(
            "store the new external reference of " + t.la.claim.describe(),
            m -> m.setExternalRef(t.la.claim.id(), t.la.claim.epoch(), Json.writeRef(ref)));
    if (updated > 0) {
      note(t.log, "external work is now " + ref.id() + " " + ref.attributes());
    }
  }

  private void schedulePoll(Tracked t) {
    poller.schedule(t.la, () -> poll(t), t.type.pollInterval(t.ctx).toMillis());
  }

  private void poll(Tracked t) {
    if (t.la.finished.get()) {
      tracked.remove(t.la.claim.id(), t); // abandoned while a call hung
      return;
    }
    if (t.la.cancel.cause() == Cause.RELEASE || t.la.lost) {
      end(t, null);
      return;
    }
    t.la.busy = Thread.currentThread();
    try {
      ExternalStatus status = t.type.poll(t.ctx, t.ref);
      t.la.busy = null;
      if (t.la.finished.get()) {
        tracked.remove(t.la.claim.id(), t);
        return;
      }
      t.pollFailures = 0;
      if (status instanceof ExternalStatus.Finished f) {
        end(t, executor.toResult(t.la.claim, f.outcome(), t.la.cancel, t.log));
        return;
      }
      if (status instanceof ExternalStatus.Running r) {
        running(t, r);
        if (!r.detail().equals(t.detail)) {
          t.detail = r.detail(); // what explain() shows, e.g. what a sensor still waits for
          store.run(
              "record the status of " + t.la.claim.describe(),
              m -> m.setRunningMessage(t.la.claim.id(), t.la.claim.epoch(), r.detail()));
        }
      }
    } catch (TaskFailedException e) {
      end(t, executor.toResult(t.la.claim, e.outcome(), t.la.cancel, t.log));
      return;
    } catch (Error e) {
      t.la.busy = null;
      failed(t, e, "polling", true);
      return;
    } catch (Exception e) {
      if (++t.pollFailures >= MAX_POLL_FAILURES) {
        stopThenEnd(
            t,
            executor.toResult(
                t.la.claim,
                TaskOutcome.failure(
                    "polling failed "
                        + t.pollFailures
                        + " times in a row: "
                        + Executor.describe(e)),
                t.la.cancel,
                t.log),
            "polling failed " + t.pollFailures + " times in a row");
        return;
      }
      LOG.warn("polling {} failed ({} in a row)", t.la.claim.describe(), t.pollFailures, e);
    } finally {
      t.la.busy = null;
      executor.left(t.la);
    }
    try {
      schedulePoll(t);
    } catch (Throwable e) {
      failed(t, e, "asking for the poll interval", true);
    }
  }

  /** Stores a changed reference, and releases the downstream tasks once when asked to. */
  private void running(Tracked t, ExternalStatus.Running r) {
    if (r.ref().isPresent() && !r.ref().get().equals(t.ref)) {
      t.ref = r.ref().get();
      storeRef(t, t.ref);
    }
    if (r.releaseDownstream() && !t.released && !t.la.cancel.isCancelled()) {
      t.released = true;
      note(t.log, "released the tasks behind RUNNING edges: " + r.detail());
      executor.release(t.la.claim);
    }
  }

  /** A kill or timeout reached an external attempt: ask the external system to stop it. */
  void cancelled(LocalAttempt la) {
    Tracked t = tracked.get(la.claim.id());
    if (t == null || t.la != la || t.ref == null || la.cancel.cause() == Cause.RELEASE) {
      return;
    }
    workers.execute(
        () -> {
          try {
            if (la.cancel.cause() == Cause.TIMEOUT && !stillHeld(la)) {
              return;
            }
            t.type.cancel(t.ctx, t.ref);
            note(t.log, "asked external work " + t.ref.id() + " to stop: " + la.cancel.reason());
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
   * whether this call ended it; not before the work's reference is known (its submission is still
   * on its way, and is abandoned as a hung call if it hangs), so nothing is submitted after the
   * end.
   */
  boolean abandon(LocalAttempt la, Duration grace) {
    Tracked t = tracked.get(la.claim.id());
    ExternalRef ref = t == null || t.la != la ? null : t.ref;
    if (ref == null) {
      return false;
    }
    String why =
        la.cancel.reason()
            + "; external work "
            + ref.id()
            + " did not report an end within "
            + Executor.describe(grace)
            + " and was abandoned: it may still run"
            + (la.cancel.cause() == Cause.KILL ? "" : ", so it is not retried");
    Result result =
        la.cancel.cause() == Cause.KILL
            ? Executor.result(la.claim, TaskState.KILLED, false, Map.of(), why, la.log)
            : Executor.result(la.claim, TaskState.FAILED, false, Map.of(), why, la.log);
    if (!executor.finish(la, result, la.log)) {
      return false;
    }
    tracked.remove(la.claim.id(), t);
    LOG.warn(
        "{}: {}; it is no longer polled: stop {} in the external system if it does not end",
        la.claim.describe(),
        why,
        ref.id() + (ref.attributes().isEmpty() ? "" : " " + ref.attributes()));
    return true;
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

  /**
   * Ends an attempt that failed while its external work may still run: asks the external system to
   * stop that work first, on the bounded callback pool, and records the failure once that call
   * returned or {@link #STOP_TIMEOUT_MS} passed. Nothing is stopped for an attempt that is no
   * longer this instance's, was cancelled already (a kill or timeout asked for the stop), or is
   * handed back for its log.
   */
  private void stopThenEnd(Tracked t, Result result, String why) {
    LocalAttempt la = t.la;
    ExternalRef ref = t.ref;
    if (ref == null
        || la.lost
        || la.cancel.isCancelled()
        || result == null
        || result.state() != io.flinkplatform.engine.run.TaskState.FAILED
        || t.log.failure() != null) {
      end(t, result);
      return;
    }
    java.util.concurrent.atomic.AtomicBoolean ended =
        new java.util.concurrent.atomic.AtomicBoolean();
    Runnable endOnce =
        () -> {
          if (ended.compareAndSet(false, true)) {
            end(t, result);
          }
        };
    try {
      java.util.concurrent.Future<?> stopping =
          executor
              .callbacks()
              .submit(
                  () -> {
                    try {
                      t.type.cancel(t.ctx, ref);
                      note(t.log, "asked external work " + ref.id() + " to stop: " + why);
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
    } catch (java.util.concurrent.RejectedExecutionException full) {
      LOG.warn(
          "{}: external work {} could not be asked to stop (the callback pool is full or"
              + " stopped)",
          la.claim.describe(),
          ref.id());
      endOnce.run();
    }
  }

  private void end(Tracked t, Result result) {
    tracked.remove(t.la.claim.id(), t);
    if (executor.failedForItsLog(t.la, result, t.log)) {
      return;
    }
    executor.finish(t.la, result, t.log);
  }

  /**
   * A line of the driver's own in the attempt's log. A write error does not fail the attempt: the
   * log remembers it, and a failure of the attempt is then handed back.
   */
  private static void note(LocalLogStore.Sink log, String line) {
    try {
      log.line(line);
    } catch (RuntimeException e) {
      LOG.debug("a line of the external driver was not logged", e);
    }
  }
}
