package io.flinkplatform.engine.internal.worker;

import io.flinkplatform.engine.internal.claim.Claim;
import io.flinkplatform.engine.internal.claim.Fencing;
import io.flinkplatform.engine.internal.definition.Dag;
import io.flinkplatform.engine.internal.definition.Definitions;
import io.flinkplatform.engine.internal.progress.Result;
import io.flinkplatform.engine.internal.worker.CancelSignal.Cause;
import io.flinkplatform.spi.ExternalTaskType;
import io.flinkplatform.spi.TaskType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one claimed attempt on a worker thread: opens its log, fails it at once if it cannot run
 * here, arms its timeout, builds its context, then runs a synchronous task to its outcome or hands
 * an external one to the {@link ExternalDriver}. Whatever is thrown ends the attempt through the
 * {@link Executor}; a database error while preparing it hands it back instead ({@link
 * AttemptFailures} turns what went wrong into its result).
 */
final class AttemptRunner {
  private static final Logger LOG = LoggerFactory.getLogger(AttemptRunner.class);

  private final Executor executor;
  private final Definitions definitions;
  private final LocalLogStore logs;
  private final LogPointers pointers;
  private final AttemptContexts contexts;
  private final ScheduledExecutorService timers;
  private final Clock clock;

  private final RouteGrants grants;

  AttemptRunner(
      Executor executor,
      Definitions definitions,
      LocalLogStore logs,
      LogPointers pointers,
      AttemptContexts contexts,
      ScheduledExecutorService timers,
      Clock clock,
      RouteGrants grants) {
    this.grants = grants;
    this.executor = executor;
    this.definitions = definitions;
    this.logs = logs;
    this.pointers = pointers;
    this.contexts = contexts;
    this.timers = timers;
    this.clock = clock;
  }

  /**
   * Runs an attempt; whatever escapes {@link #run} (its log could not be opened, a fatal error)
   * still ends it, so it is never left held here with nothing running it.
   */
  void runGuarded(LocalAttempt la) {
    try {
      run(la);
    } catch (Throwable t) {
      if (!la.finished.get()) {
        try {
          LOG.error("{} failed outside its task", la.claim.describe(), t);
          executor.finish(la, AttemptFailures.failed(la.claim, t, la.log), la.log);
        } catch (Throwable again) {
          // out of memory, most likely: the cancellation grace or the lease deals with it
        }
      }
      if (Executor.fatal(t)) {
        throw (Error) t;
      }
    } finally {
      la.thread = null;
      Thread.interrupted();
      executor.left(la);
    }
  }

  private void run(LocalAttempt la) {
    Claim claim = la.claim;
    if (la.cancel.isCancelled()) {
      executor.finish(la, Executor.endedUnstarted(la), null);
      return;
    }
    la.thread = Thread.currentThread();
    LogSink log =
        logs.open(
            claim.run().id,
            claim.attempt().taskId,
            claim.attempt().attempt,
            claim.epoch(),
            pointer -> pointers.store(claim, pointer));
    la.log = log;
    Result result;
    try {
      Dag dag = definitions.get(claim.attempt().flowId);
      TaskType type = dag.types.get(claim.attempt().taskId);
      result = AttemptFailures.cannotRun(claim, dag, type, log);
      if (result == null) {
        result = grants.refusal(claim, log);
      }
      if (result == null) {
        Optional<Instant> deadline = armTimeout(la, dag);
        la.cancel.onCancelInline(
            () -> {
              Thread t = la.thread;
              if (t != null) {
                t.interrupt();
              }
            });
        AttemptContext ctx = contexts.context(claim, dag, log, la.cancel, deadline);
        if (type instanceof ExternalTaskType ext) {
          la.external = true;
          la.thread = null;
          Thread.interrupted();
          executor.driveExternally(la, ext, ctx, log);
          return;
        }
        if (Fencing.mayStart(la.claim, la.fenceAtNanos, "its task")) {
          result = Outcomes.toResult(claim, type.execute(ctx), la.cancel, log);
        } else {
          executor.abandon(la, "the lease may have lapsed before the task started");
          result = null; // handed back
        }
      }
    } catch (Throwable t) {
      if (Executor.fatal(t)) {
        // the JVM is in trouble (out of memory): record the attempt FAILED if at all possible,
        // then let the error go on to the thread's handler
        try {
          executor.finish(la, AttemptFailures.failed(claim, t, log), log);
        } catch (Throwable again) {
          // runGuarded tries once more; else the cancellation grace or the lease deals with it
        }
        throw (Error) t;
      }
      result = AttemptFailures.resultOfThrown(la, t, log);
    } finally {
      la.thread = null;
      Thread.interrupted();
    }
    if (executor.failedForItsLog(la, result, log)) {
      return;
    }
    executor.finish(la, result, log);
  }

  /** Schedules the cancellation of the attempt at its task's timeout; returns its deadline. */
  private Optional<Instant> armTimeout(LocalAttempt la, Dag dag) {
    Optional<Duration> timeout = dag.tasks.get(la.claim.attempt().taskId).timeout();
    Optional<Instant> deadline = timeout.map(d -> clock.instant().plus(d));
    deadline.ifPresent(
        d ->
            la.timeout =
                timers.schedule(
                    () ->
                        executor.cancel(
                            la,
                            Cause.TIMEOUT,
                            "timed out after " + Outcomes.describe(timeout.get())),
                    Math.max(0, d.toEpochMilli() - clock.millis()),
                    TimeUnit.MILLISECONDS));
    return deadline;
  }
}
