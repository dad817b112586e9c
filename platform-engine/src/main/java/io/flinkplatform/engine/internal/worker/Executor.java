package io.flinkplatform.engine.internal.worker;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.flinkplatform.engine.internal.claim.Claim;
import io.flinkplatform.engine.internal.definition.Definitions;
import io.flinkplatform.engine.internal.model.RunModel;
import io.flinkplatform.engine.internal.progress.Completer;
import io.flinkplatform.engine.internal.progress.Result;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.internal.worker.CancelSignal.Cause;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.spi.ExternalTaskType;
import io.flinkplatform.spi.WorkspaceAccess;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs claimed attempts on the worker pool and hands their results to the {@link Completer}: it
 * holds this instance's attempts ({@link LocalAttempts}) and worker permits ({@link
 * WorkerPermits}), starts each attempt on a worker thread ({@link AttemptRunner}), and ends it
 * once, however it ends: an outcome, a cancellation, a lost claim. Synchronous task types hold a
 * worker thread (one permit) while they run; external task types are driven by {@link
 * ExternalDriver} without one.
 *
 * <p>No attempt is left stuck: whatever a task throws ends its attempt (an {@link OutOfMemoryError}
 * too, before it is rethrown), and an attempt still not ended a grace period after its timeout or
 * kill cancelled it (a task that ignores interrupts, a plugin call that hangs) is abandoned:
 * recorded FAILED (timeout) or KILLED, or handed back (release), its thread's stack logged once.
 * See {@link Watchdog}.
 */
public final class Executor {
  /** Threads that run plugins' cancellation callbacks, and how many callbacks may wait for one. */
  static final int CALLBACK_THREADS = 4;

  static final int CALLBACK_QUEUE = 1_000;

  /** How long an attempt whose log could not be written holds its slot before it is handed back. */
  static final long LOG_FAILURE_BACKOFF_MS = 2_000;

  private static final Logger LOG = LoggerFactory.getLogger(Executor.class);

  private final Completer completer;
  private final ExecutorService workers;
  private final ScheduledExecutorService timers;
  private final WorkerPermits permits;
  private final LocalAttempts local = new LocalAttempts();
  private final AttemptContexts contexts;
  private final LogPointers pointers;
  private final ThreadPoolExecutor callbacks;
  private final ExternalDriver external;
  private final Watchdog watchdog;
  private final AttemptRunner runner;

  public Executor(
      Definitions definitions,
      Store store,
      LocalLogStore logs,
      Completer completer,
      ExecutorService workers,
      ScheduledExecutorService timers,
      int permits,
      int claimAhead,
      long pollMillis,
      Clock clock,
      Map<String, String> globalParameters,
      Runnable onSlotFree,
      Duration cancelGrace,
      RunAccess runAccess,
      ExternalPoller poller,
      WorkspaceAccess access) {
    this.completer = completer;
    this.workers = workers;
    this.timers = timers;
    this.permits = new WorkerPermits(permits, claimAhead, pollMillis, this::run, onSlotFree);
    this.contexts = new AttemptContexts(store, new Parameters(globalParameters), clock, runAccess);
    this.pointers = new LogPointers(store, CALLBACK_QUEUE);
    this.callbacks =
        new ThreadPoolExecutor(
            CALLBACK_THREADS,
            CALLBACK_THREADS,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(CALLBACK_QUEUE),
            new ThreadFactoryBuilder().setNameFormat("fp-cancel-%d").setDaemon(true).build());
    this.callbacks.allowCoreThreadTimeOut(true);
    this.external = new ExternalDriver(store, workers, timers, this, poller);
    this.watchdog = new Watchdog(this, workers, timers, cancelGrace);
    this.runner =
        new AttemptRunner(
            this, definitions, logs, pointers, contexts, timers, clock, new RouteGrants(access));
  }

  /**
   * How many attempts, at most {@code max}, the dispatcher may claim now: for free worker threads
   * and the queue of attempts claimed ahead (see {@link WorkerPermits}).
   */
  int room(int max) {
    return permits.room(max);
  }

  /**
   * Holds a claimed attempt and calls {@code started} once it is held here (its lease renewed by
   * the heartbeat, its run's kill and this instance's stop cancelling it), then runs it on a free
   * worker thread, or queues it until one is free. What {@code started} announces comes before
   * anything the attempt itself leads to.
   */
  void start(Claim claim, Runnable started) {
    LocalAttempt la = new LocalAttempt(claim, callbacks);
    LocalAttempt stale = local.hold(la);
    if (stale != null) {
      cancel(stale, Cause.RELEASE, "claimed again with epoch " + claim.epoch());
    }
    started.run();
    permits.offer(la);
    if (la.cancel.cause() != null && permits.withdraw(la)) {
      // cancelled between hold and offer: its cancel found it not queued yet
      finish(la, endedUnstarted(la), null);
    }
  }

  /** Runs an attempt that holds a worker permit on a worker thread. */
  private void run(LocalAttempt la) {
    workers.execute(() -> runner.runGuarded(la));
  }

  /**
   * Hands back the attempts claimed ahead that waited too long for a worker thread (long tasks took
   * the threads after they were claimed; see {@link WorkerPermits#overdue}): they become READY for
   * any instance, with no run of them lost or doubled (a hand-back holds only on their epoch).
   */
  void handBackOverdue() {
    for (LocalAttempt la : permits.overdue()) {
      cancel(la, Cause.RELEASE, "waited too long for a worker thread here; handed back");
    }
  }

  /** Attempts claimed ahead that wait for a worker thread. */
  public int queued() {
    return permits.queued();
  }

  /** An error after which the JVM may not go on (out of memory): rethrown once recorded. */
  static boolean fatal(Throwable t) {
    return t instanceof VirtualMachineError && !(t instanceof StackOverflowError);
  }

  public Collection<LocalAttempt> attempts() {
    return local.all();
  }

  /** Hands a started attempt of an external task type to the driver; its permit goes back. */
  void driveExternally(LocalAttempt la, ExternalTaskType type, AttemptContext ctx, LogSink log) {
    permits.returnPermit(la);
    external.begin(la, type, ctx, log);
  }

  /**
   * An attempt that failed while its log could not be written (no space, read-only or broken disk:
   * a fault of this instance, not of the task) is handed back without using a retry, after a short
   * pause that keeps its slot busy so that this instance does not take it straight back. Kills and
   * timeouts keep their outcome; a success is kept (the work is done). External attempts follow the
   * same rule ({@link ExternalDriver}); their work is left for the next owner to re-attach to.
   */
  boolean failedForItsLog(LocalAttempt la, Result result, LogSink log) {
    if (result == null || result.state() != TaskState.FAILED || la.cancel.cause() != null) {
      return false;
    }
    IOException failure = log.failure();
    if (failure == null) {
      return false;
    }
    LOG.warn(
        "{} could not write its task log ({}); handing it back instead of failing it",
        la.claim.describe(),
        failure.toString());
    try {
      timers.schedule(() -> finish(la, null, log), LOG_FAILURE_BACKOFF_MS, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException stopping) {
      finish(la, null, log);
    }
    return true;
  }

  /**
   * Ends a local attempt once: hands it back when it was released (or never ran), else queues its
   * result for commit. Returns whether this call ended it.
   */
  boolean finish(LocalAttempt la, Result result, LogSink log) {
    if (!la.finished.compareAndSet(false, true)) {
      return false;
    }
    if (la.timeout != null) {
      la.timeout.cancel(false);
    }
    if (log != null) {
      log.close();
    }
    if (result == null || la.cancel.cause() == Cause.RELEASE) {
      completer.handBack(la.claim);
    } else {
      completer.submit(result);
    }
    local.forget(la);
    permits.returnPermit(la);
    return true;
  }

  /**
   * Whether no attempt here runs code now: every local attempt is external work waiting for its
   * next poll (manual mode waits for this).
   */
  public boolean quiet() {
    return local.all().stream().allMatch(external::waitingForPoll);
  }

  /** A running external attempt released the tasks behind its RUNNING edges. */
  void releaseDownstream(Claim claim) {
    completer.releaseDownstream(claim);
  }

  /** Cancels every local attempt of the given runs (a kill seen by this instance). */
  public void cancelRun(long runId, String reason) {
    local.ofRun(runId).forEach(la -> cancel(la, Cause.KILL, reason));
  }

  /**
   * Stops an attempt whose claim is lost (or presumed lost): it is handed back, and external work
   * is left running for its new owner, even if a timeout or kill cancelled it first.
   */
  public void abandon(LocalAttempt la, String reason) {
    la.lost = true;
    cancel(la, Cause.RELEASE, reason);
  }

  public void cancel(LocalAttempt la, Cause cause, String reason) {
    if (la.cancel.fire(cause, reason)) {
      LOG.debug("cancelled {}: {}", la.claim.describe(), reason);
      if (permits.withdraw(la)) {
        finish(la, endedUnstarted(la), null); // it waited in the queue: it ends now
        return;
      }
      external.cancelled(la);
      watchdog.watch(la);
    }
  }

  /**
   * The end of an attempt cancelled before it started: KILLED by a kill (as a claim that met the
   * kill), else handed back (null).
   */
  static Result endedUnstarted(LocalAttempt la) {
    return la.cancel.cause() == Cause.KILL
        ? new Result(la.claim, TaskState.KILLED, false, null, RunModel.KILLED_BEFORE_START, null)
        : null;
  }

  /** Ends cancelled external work that did not report an end within the grace (the watchdog). */
  boolean abandonExternal(LocalAttempt la, Duration grace) {
    return external.abandon(la, grace);
  }

  /** Called when a thread leaves plugin code of an attempt (see {@link Watchdog#left}). */
  void left(LocalAttempt la) {
    watchdog.left(la);
  }

  /** Attempts abandoned since start: still running after their cancellation grace. */
  public long abandonedAttempts() {
    return watchdog.abandonedAttempts();
  }

  /** Threads of abandoned attempts that are still running. */
  public int abandonedThreads() {
    return watchdog.abandonedThreads();
  }

  /** The bounded pool that runs plugins' cancellation callbacks, off the engine's threads. */
  ExecutorService callbacks() {
    return callbacks;
  }

  /**
   * Stops the pools of cancellation callbacks (a callback still blocked is interrupted) and of log
   * pointers.
   */
  public void stop() {
    callbacks.shutdownNow();
    pointers.stop();
  }
}
