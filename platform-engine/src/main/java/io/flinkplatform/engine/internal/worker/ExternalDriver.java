package io.flinkplatform.engine.internal.worker;

import io.flinkplatform.engine.internal.claim.Fencing;
import io.flinkplatform.engine.internal.common.Json;
import io.flinkplatform.engine.internal.progress.Result;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.internal.worker.CancelSignal.Cause;
import io.flinkplatform.spi.ExternalRef;
import io.flinkplatform.spi.ExternalStatus;
import io.flinkplatform.spi.ExternalTaskType;
import io.flinkplatform.spi.TaskFailedException;
import io.flinkplatform.spi.TaskOutcome;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives external work (submit or re-attach, persist the reference, interpret each poll, end the
 * attempt) without holding a worker thread between polls: the {@link ExternalPoller} runs the next
 * poll when it is due, and {@link ExternalStops} asks the external system to stop work. Released
 * attempts (shutdown, lost lease) stop polling and leave the external work running so that the next
 * owner re-attaches to it. A timeout asks the external system to stop only after the database
 * confirmed the claim: an instance that was frozen past its lease sees its deadlines pass at once
 * when it thaws, for work that is another's by then. If the external system ignores the cancel of a
 * kill or timeout, the attempt still ends once the cancellation grace passed ({@link #abandon}),
 * its work possibly left running.
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
 * of cancellation callbacks and is given up after {@link ExternalStops#STOP_TIMEOUT_MS}. An attempt
 * that fails while its log cannot be written is handed back instead, like a synchronous one ({@link
 * Executor#failedForItsLog}): its work is left running for the next owner. The driver's own log
 * lines never fail an attempt. What it stores with the attempt is {@link ExternalRecords}'.
 */
public final class ExternalDriver {
  private static final Logger LOG = LoggerFactory.getLogger(ExternalDriver.class);
  private static final int MAX_POLL_FAILURES = 10;

  private final ExternalRecords records;
  private final Executor executor;
  private final ExternalPoller poller;
  private final ExternalStops stops;
  private final Map<Long, ExternalAttempt> tracked = new ConcurrentHashMap<>();

  ExternalDriver(
      Store store,
      ExecutorService workers,
      ScheduledExecutorService timers,
      Executor executor,
      ExternalPoller poller) {
    this.records = new ExternalRecords(store);
    this.executor = executor;
    this.poller = poller;
    this.stops = new ExternalStops(store, workers, timers, executor);
  }

  /** Whether the attempt is external work here with no plugin call running (between polls). */
  boolean waitingForPoll(LocalAttempt la) {
    ExternalAttempt t = tracked.get(la.claim.id());
    return t != null && t.la == la && la.busy == null && poller.scheduled(la);
  }

  /** Submits or re-attaches, on the calling worker thread, then schedules the first poll. */
  void begin(LocalAttempt la, ExternalTaskType type, AttemptContext ctx, LogSink log) {
    if (!Fencing.mayStart(la.claim, la.fenceAtNanos, "its external work")) {
      executor.abandon(la, "the lease may have lapsed before the external work was submitted");
      executor.finish(la, null, log); // handed back
      return;
    }
    ExternalAttempt t = new ExternalAttempt(la, type, ctx, log);
    la.enterCall();
    tracked.put(la.claim.id(), t);
    try {
      String stored = la.claim.attempt().externalRef;
      if (stored != null) {
        ExternalRef old = Json.readRef(stored);
        t.ref = type.reattach(ctx, old);
        if (!t.ref.equals(old)) {
          records.changed(t, t.ref);
        }
        t.released = la.claim.attempt().releasedAt != null;
        t.note("re-attached to external work " + t.ref.id());
      } else {
        ExternalRef ref = type.submit(ctx);
        boolean kept = records.submitted(la.claim, ref);
        t.ref = ref;
        if (!kept) {
          LOG.warn(
              "{} lost its claim while submitting; external work {} is left to the new owner",
              la.claim.describe(),
              ref.id());
          la.cancel.fire(Cause.RELEASE, "claim lost while submitting");
          end(t, null);
          return;
        }
        t.note("submitted external work " + ref.id());
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
  private void failed(ExternalAttempt t, Throwable e, String doing, boolean stop) {
    if (e instanceof Error) {
      LOG.error("{} failed while {}", t.la.claim.describe(), doing, e);
    }
    try {
      Result result = Outcomes.toResult(t.la.claim, Outcomes.failureOf(e), t.la.cancel, t.log);
      if (stop && !Executor.fatal(e)) {
        stops.stopThenEnd(t, result, "the attempt failed while " + doing, r -> end(t, r));
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

  private void schedulePoll(ExternalAttempt t) {
    poller.schedule(t.la, () -> poll(t), t.type.pollInterval(t.ctx).toMillis());
  }

  private void poll(ExternalAttempt t) {
    if (t.la.finished.get()) {
      tracked.remove(t.la.claim.id(), t); // abandoned while a call hung
      return;
    }
    if (t.la.cancel.cause() == Cause.RELEASE || t.la.lost) {
      end(t, null);
      return;
    }
    t.la.enterCall();
    try {
      ExternalStatus status = t.type.poll(t.ctx, t.ref);
      t.la.busy = null;
      if (t.la.finished.get()) {
        tracked.remove(t.la.claim.id(), t);
        return;
      }
      t.pollFailures = 0;
      if (status instanceof ExternalStatus.Finished f) {
        end(t, Outcomes.toResult(t.la.claim, f.outcome(), t.la.cancel, t.log));
        return;
      }
      if (status instanceof ExternalStatus.Running r) {
        running(t, r);
        records.detail(t, r.detail());
      }
    } catch (TaskFailedException e) {
      end(t, Outcomes.toResult(t.la.claim, e.outcome(), t.la.cancel, t.log));
      return;
    } catch (Error e) {
      t.la.busy = null;
      failed(t, e, "polling", true);
      return;
    } catch (Exception e) {
      if (++t.pollFailures >= MAX_POLL_FAILURES) {
        stops.stopThenEnd(
            t,
            Outcomes.toResult(
                t.la.claim,
                TaskOutcome.failure(
                    "polling failed "
                        + t.pollFailures
                        + " times in a row: "
                        + Outcomes.describe(e)),
                t.la.cancel,
                t.log),
            "polling failed " + t.pollFailures + " times in a row",
            r -> end(t, r));
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
  private void running(ExternalAttempt t, ExternalStatus.Running r) {
    if (r.ref().isPresent() && !r.ref().get().equals(t.ref)) {
      t.ref = r.ref().get();
      records.changed(t, t.ref);
    }
    if (r.releaseDownstream() && !t.released && !t.la.cancel.isCancelled()) {
      t.released = true;
      t.note("released the tasks behind RUNNING edges: " + r.detail());
      executor.releaseDownstream(t.la.claim);
    }
  }

  /** A kill or timeout reached an external attempt: ask the external system to stop it. */
  void cancelled(LocalAttempt la) {
    ExternalAttempt t = tracked.get(la.claim.id());
    if (t == null || t.la != la || t.ref == null || la.cancel.cause() == Cause.RELEASE) {
      return;
    }
    stops.askToStop(t);
  }

  /**
   * Ends cancelled external work that did not report an end within the cancellation grace (see
   * {@link ExternalStops#abandon}); returns whether this call ended it. Not before the work's
   * reference is known: its submission is still on its way (and is abandoned as a hung call if it
   * hangs), so nothing is submitted after the end.
   */
  boolean abandon(LocalAttempt la, Duration grace) {
    ExternalAttempt t = tracked.get(la.claim.id());
    if (t == null || t.la != la || t.ref == null || !stops.abandon(t, grace)) {
      return false;
    }
    tracked.remove(la.claim.id(), t);
    return true;
  }

  private void end(ExternalAttempt t, Result result) {
    tracked.remove(t.la.claim.id(), t);
    if (executor.failedForItsLog(t.la, result, t.log)) {
      return;
    }
    executor.finish(t.la, result, t.log);
  }
}
