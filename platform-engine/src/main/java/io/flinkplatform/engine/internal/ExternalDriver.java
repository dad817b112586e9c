package io.flinkplatform.engine.internal;

import io.flinkplatform.engine.internal.CancelSignal.Cause;
import io.flinkplatform.engine.internal.Rows.AttemptRow;
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
 */
final class ExternalDriver {
  private static final Logger LOG = LoggerFactory.getLogger(ExternalDriver.class);
  private static final int MAX_POLL_FAILURES = 10;
  private final Store store;
  private final ExecutorService workers;
  private final ScheduledExecutorService timers;
  private final Executor executor;
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
      Store store, ExecutorService workers, ScheduledExecutorService timers, Executor executor) {
    this.store = store;
    this.workers = workers;
    this.timers = timers;
    this.executor = executor;
  }

  /** Submits or re-attaches, on the calling worker thread, then schedules the first poll. */
  void begin(LocalAttempt la, ExternalTaskType type, AttemptContext ctx, LocalLogStore.Sink log) {
    if (!LeaseWatchdog.mayStart(la, "its external work")) {
      executor.abandon(la, "the lease may have lapsed before the external work was submitted");
      executor.finish(la, null, log); // handed back
      return;
    }
    Tracked t = new Tracked(la, type, ctx, log);
    tracked.put(la.claim.id(), t);
    la.busy = Thread.currentThread();
    try {
      String stored = la.claim.attempt().externalRef;
      if (stored != null) {
        ExternalRef old = Json.readRef(stored);
        t.ref = type.reattach(ctx, old);
        if (!t.ref.equals(old)) {
          storeRef(t, t.ref);
        }
        t.released = la.claim.attempt().releasedAt != null;
        log.line("re-attached to external work " + t.ref.id());
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
        log.line("submitted external work " + ref.id());
      }
      la.busy = null;
      if (la.cancel.isCancelled()) {
        cancelled(la);
      }
      schedulePoll(t);
    } catch (Throwable e) {
      la.busy = null;
      failed(t, e, "submitting");
    } finally {
      la.busy = null;
      executor.left(la);
    }
  }

  /** A plugin call threw: the attempt ends FAILED (its own failure for an exception). */
  private void failed(Tracked t, Throwable e, String doing) {
    if (e instanceof Error) {
      LOG.error("{} failed while {}", t.la.claim.describe(), doing, e);
    }
    try {
      end(t, executor.toResult(t.la.claim, Executor.failureOf(e), t.la.cancel, t.log));
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
      t.log.line("external work is now " + ref.id() + " " + ref.attributes());
    }
  }

  private void schedulePoll(Tracked t) {
    timers.schedule(
        () -> workers.execute(() -> poll(t)),
        t.type.pollInterval(t.ctx).toMillis(),
        TimeUnit.MILLISECONDS);
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
      failed(t, e, "polling");
      return;
    } catch (Exception e) {
      if (++t.pollFailures >= MAX_POLL_FAILURES) {
        end(
            t,
            executor.toResult(
                t.la.claim,
                TaskOutcome.failure(
                    "polling failed "
                        + t.pollFailures
                        + " times in a row: "
                        + Executor.describe(e)),
                t.la.cancel,
                t.log));
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
      failed(t, e, "asking for the poll interval");
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
      t.log.line("released the tasks behind RUNNING edges: " + r.detail());
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
            t.log.line("asked external work " + t.ref.id() + " to stop: " + la.cancel.reason());
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

  private void end(Tracked t, Result result) {
    tracked.remove(t.la.claim.id(), t);
    executor.finish(t.la, result, t.log);
  }
}
