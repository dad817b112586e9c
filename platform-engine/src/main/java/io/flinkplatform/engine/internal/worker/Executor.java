package io.flinkplatform.engine.internal.worker;

import com.google.common.base.Suppliers;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.flinkplatform.engine.StoreException;
import io.flinkplatform.engine.dag.DateMacros;
import io.flinkplatform.engine.internal.common.Json;
import io.flinkplatform.engine.internal.common.Outage;
import io.flinkplatform.engine.internal.common.Texts;
import io.flinkplatform.engine.internal.definition.Dag;
import io.flinkplatform.engine.internal.definition.Definitions;
import io.flinkplatform.engine.internal.lease.LeaseWatchdog;
import io.flinkplatform.engine.internal.progress.Branches;
import io.flinkplatform.engine.internal.progress.Completer;
import io.flinkplatform.engine.internal.progress.Result;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.internal.worker.CancelSignal.Cause;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.spi.ExternalTaskType;
import io.flinkplatform.spi.TaskFailedException;
import io.flinkplatform.spi.TaskOutcome;
import io.flinkplatform.spi.TaskType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs claimed attempts on the worker pool and hands their results to the {@link Completer}.
 * Synchronous task types hold a worker thread (one permit) while they run; external task types are
 * driven by {@link ExternalDriver} without one.
 *
 * <p>No attempt is left stuck: whatever a task throws ends its attempt (an {@link OutOfMemoryError}
 * too, before it is rethrown), and an attempt still not ended a grace period after its timeout or
 * kill cancelled it (a task that ignores interrupts, a plugin call that hangs) is abandoned:
 * recorded FAILED (timeout) or KILLED, or handed back (release), its thread's stack logged once.
 * See {@link Watchdog}.
 */
public final class Executor {
  private static final Logger LOG = LoggerFactory.getLogger(Executor.class);
  private final Definitions definitions;
  private final Store store;
  private final LocalLogStore logs;
  private final Completer completer;
  private final ExecutorService workers;
  private final ScheduledExecutorService timers;
  private final Semaphore permits;
  private final Clock clock;
  private final Runnable onSlotFree;
  private final ExternalDriver external;
  private final Map<Long, LocalAttempt> local = new ConcurrentHashMap<>();
  private final ThreadPoolExecutor callbacks;
  private final ThreadPoolExecutor pointers;
  private final Watchdog watchdog;

  /** Gives tasks access to other runs ({@code TaskContext.platform()}). */
  private final RunAccess runAccess;

  /** Threads that run plugins' cancellation callbacks, and how many callbacks may wait for one. */
  static final int CALLBACK_THREADS = 4;

  static final int CALLBACK_QUEUE = 1_000;

  private final Map<String, String> globalParameters;

  public Executor(
      Definitions definitions,
      Store store,
      LocalLogStore logs,
      Completer completer,
      ExecutorService workers,
      ScheduledExecutorService timers,
      int permits,
      Clock clock,
      Map<String, String> globalParameters,
      Runnable onSlotFree,
      Duration cancelGrace,
      RunAccess runAccess,
      ExternalPoller poller) {
    this.watchdog = new Watchdog(this, workers, timers, cancelGrace);
    this.callbacks =
        new ThreadPoolExecutor(
            CALLBACK_THREADS,
            CALLBACK_THREADS,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(CALLBACK_QUEUE),
            new ThreadFactoryBuilder().setNameFormat("fp-cancel-%d").setDaemon(true).build());
    this.callbacks.allowCoreThreadTimeOut(true);
    // log pointers on a thread of their own: behind busy workers a running log would stay unread
    this.pointers =
        new ThreadPoolExecutor(
            1,
            1,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(CALLBACK_QUEUE),
            new ThreadFactoryBuilder().setNameFormat("fp-log-pointer-%d").setDaemon(true).build());
    this.pointers.allowCoreThreadTimeOut(true);
    this.globalParameters = Map.copyOf(globalParameters);
    this.definitions = definitions;
    this.store = store;
    this.logs = logs;
    this.completer = completer;
    this.workers = workers;
    this.timers = timers;
    this.permits = new Semaphore(permits);
    this.clock = clock;
    this.onSlotFree = onSlotFree;
    this.runAccess = runAccess;
    this.external = new ExternalDriver(store, workers, timers, this, poller);
  }

  /** Takes up to {@code wanted} worker permits at once; returns how many it got. */
  int acquire(int wanted) {
    int got = 0;
    while (got < wanted && permits.tryAcquire()) {
      got++;
    }
    return got;
  }

  void release(int n) {
    permits.release(n);
  }

  /**
   * Starts a claimed attempt and calls {@code started} once it is held here (its lease renewed by
   * the heartbeat) and before it runs, so that what {@code started} announces comes before anything
   * the attempt itself leads to.
   */
  void start(Claim claim, Runnable started) {
    LocalAttempt la = new LocalAttempt(claim, callbacks);
    LocalAttempt stale = local.put(claim.id(), la);
    if (stale != null) {
      cancel(stale, Cause.RELEASE, "claimed again with epoch " + claim.epoch());
    }
    started.run();
    workers.execute(() -> runGuarded(la));
  }

  /**
   * Runs an attempt; whatever escapes {@link #run} (its log could not be opened, a fatal error)
   * still ends it, so it is never left held here with nothing running it.
   */
  private void runGuarded(LocalAttempt la) {
    try {
      run(la);
    } catch (Throwable t) {
      if (!la.finished.get()) {
        try {
          LOG.error("{} failed outside its task", la.claim.describe(), t);
          finish(
              la, result(la.claim, TaskState.FAILED, true, Map.of(), describe(t), la.log), la.log);
        } catch (Throwable again) {
          // out of memory, most likely: the cancellation grace or the lease deals with it
        }
      }
      if (fatal(t)) {
        throw (Error) t;
      }
    } finally {
      la.thread = null;
      Thread.interrupted();
      watchdog.left(la);
    }
  }

  /** An error after which the JVM may not go on (out of memory): rethrown once recorded. */
  static boolean fatal(Throwable t) {
    return t instanceof VirtualMachineError && !(t instanceof StackOverflowError);
  }

  public Collection<LocalAttempt> attempts() {
    return local.values();
  }

  /**
   * Whether no attempt here runs code now: every local attempt is external work waiting for its
   * next poll (manual mode waits for this).
   */
  public boolean quiet() {
    return local.values().stream().allMatch(external::waitingForPoll);
  }

  private void run(LocalAttempt la) {
    Claim claim = la.claim;
    if (la.cancel.isCancelled()) {
      finish(la, null, null);
      return;
    }
    la.thread = Thread.currentThread();
    LocalLogStore.Sink log =
        logs.open(
            claim.run().id,
            claim.attempt().taskId,
            claim.attempt().attempt,
            pointer -> storeLogPointer(claim, pointer));
    la.log = log;
    Result result;
    try {
      Dag dag = definitions.get(claim.attempt().flowId);
      TaskType type = dag.types.get(claim.attempt().taskId);
      if (type == null) {
        String t = dag.tasks.get(claim.attempt().taskId).type();
        result =
            result(
                claim,
                TaskState.FAILED,
                false,
                Map.of(),
                "task type '" + t + "' is not available on this instance",
                log);
      } else if (dag.unreadable.containsKey(claim.attempt().taskId)) {
        // retrying cannot help: the stored options stay as they are until a new deploy
        String why = dag.unreadable.get(claim.attempt().taskId);
        log.line(why);
        result = result(claim, TaskState.FAILED, false, Map.of(), why, log);
      } else {
        Optional<Instant> deadline =
            dag.tasks.get(claim.attempt().taskId).timeout().map(d -> clock.instant().plus(d));
        deadline.ifPresent(
            d ->
                la.timeout =
                    timers.schedule(
                        () ->
                            cancel(
                                la,
                                Cause.TIMEOUT,
                                "timed out after "
                                    + describe(
                                        dag.tasks.get(claim.attempt().taskId).timeout().get())),
                        Math.max(0, d.toEpochMilli() - clock.millis()),
                        TimeUnit.MILLISECONDS));
        la.cancel.onCancelInline(
            () -> {
              Thread t = la.thread;
              if (t != null) {
                t.interrupt();
              }
            });
        AttemptContext ctx = context(claim, dag, log, la.cancel, deadline);
        if (type instanceof ExternalTaskType ext) {
          la.external = true;
          la.thread = null;
          Thread.interrupted();
          returnPermit(la);
          external.begin(la, ext, ctx, log);
          return;
        }
        if (LeaseWatchdog.mayStart(la, "its task")) {
          result = toResult(claim, type.execute(ctx), la.cancel, log);
        } else {
          abandon(la, "the lease may have lapsed before the task started");
          result = null; // handed back
        }
      }
    } catch (Throwable t) {
      if (fatal(t)) {
        // the JVM is in trouble (out of memory): record the attempt FAILED if at all possible,
        // then let the error go on to the thread's handler
        try {
          finish(la, result(claim, TaskState.FAILED, true, Map.of(), describe(t), log), log);
        } catch (Throwable again) {
          // runGuarded tries once more; else the cancellation grace or the lease deals with it
        }
        throw (Error) t;
      }
      if (t instanceof Error) {
        LOG.error("{} threw {}", claim.describe(), describe(t), t);
      }
      if (!la.cancel.isCancelled() && t instanceof StoreException && Outage.isTransient(t)) {
        // the platform could not prepare the attempt (load its workflow version, read upstream
        // outputs): the database failed, not the task. Hand it back to run again rather than
        // record a failure of a task that may not even have started.
        LOG.info("{} hit a database error ({}); handing it back", claim.describe(), t.getMessage());
        result = null;
      } else {
        result =
            la.cancel.isCancelled()
                ? toResult(claim, failureOf(t), la.cancel, log)
                : t instanceof TaskFailedException f
                    ? result(claim, TaskState.FAILED, f.retryable(), Map.of(), f.getMessage(), log)
                    : result(claim, TaskState.FAILED, true, Map.of(), describe(t), log);
      }
    } finally {
      la.thread = null;
      Thread.interrupted();
    }
    if (failedForItsLog(la, result, log)) {
      return;
    }
    finish(la, result, log);
  }

  /** How long an attempt whose log could not be written holds its slot before it is handed back. */
  static final long LOG_FAILURE_BACKOFF_MS = 2_000;

  /**
   * An attempt that failed while its log could not be written (no space, read-only or broken disk:
   * a fault of this instance, not of the task) is handed back without using a retry, after a short
   * pause that keeps its slot busy so that this instance does not take it straight back. Kills and
   * timeouts keep their outcome; a success is kept (the work is done). External attempts follow the
   * same rule ({@link ExternalDriver}); their work is left for the next owner to re-attach to.
   */
  boolean failedForItsLog(LocalAttempt la, Result result, LocalLogStore.Sink log) {
    if (result == null || result.state() != TaskState.FAILED || la.cancel.cause() != null) {
      return false;
    }
    java.io.IOException failure = log.failure();
    if (failure == null) {
      return false;
    }
    LOG.warn(
        "{} could not write its task log ({}); handing it back instead of failing it",
        la.claim.describe(),
        failure.toString());
    try {
      timers.schedule(() -> finish(la, null, log), LOG_FAILURE_BACKOFF_MS, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException stopping) {
      finish(la, null, log);
    }
    return true;
  }

  /**
   * Stores the pointer of a log once it exists, so that it can be read while the attempt runs. Off
   * the task's thread: its first line does not wait for the database; and off the worker pool,
   * whose threads may all be busy (abandoned attempts keep theirs). The write holds only while the
   * claim does (epoch, RUNNING), so a late one changes nothing; a full queue drops it (the outcome
   * stores the pointer).
   */
  private void storeLogPointer(Claim claim, String pointer) {
    Runnable write =
        () -> {
          try {
            store.run(
                "store the log pointer of " + claim.describe(),
                m -> m.storeLogPath(claim.id(), claim.epoch(), pointer));
          } catch (RuntimeException e) {
            LOG.debug("{}: its log pointer is stored with the outcome", claim.describe(), e);
          }
        };
    try {
      pointers.execute(write);
    } catch (java.util.concurrent.RejectedExecutionException stopping) {
      // stopping or full: the outcome (or the next claim) stores the pointer
    }
  }

  /**
   * Ends a local attempt once: hands it back when it was released (or never ran), else queues its
   * result for commit. Returns whether this call ended it.
   */
  boolean finish(LocalAttempt la, Result result, LocalLogStore.Sink log) {
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
    local.remove(la.claim.id(), la);
    returnPermit(la);
    return true;
  }

  private void returnPermit(LocalAttempt la) {
    if (la.permitReturned.compareAndSet(false, true)) {
      permits.release();
      onSlotFree.run();
    }
  }

  /**
   * The task's parameters: global &lt; workflow &lt; run &lt; task, date macros rendered against
   * the logical date. Upstream outputs are data and never join them (a run parameter could
   * otherwise stand in for an output, and an output reach places meant for parameters): tasks read
   * them from {@code TaskContext.upstreamOutputs()}.
   */
  private Map<String, String> parameters(Dag dag, Claim claim) {
    Map<String, String> layered = new LinkedHashMap<>(globalParameters);
    layered.putAll(dag.workflow.parameters());
    layered.putAll(Json.stringMap(claim.run().params));
    layered.putAll(dag.tasks.get(claim.attempt().taskId).parameters());
    ZoneId zone = DateMacros.zone(layered);
    Instant logicalDate = Instant.ofEpochMilli(claim.run().logicalDate);
    Map<String, String> out = new LinkedHashMap<>();
    layered.forEach(
        (k, v) -> out.put(k, DateMacros.render("parameter '" + k + "'", v, logicalDate, zone)));
    // typed parameters hold a value of their type once rendered (a later deploy may add types)
    out.forEach((k, v) -> dag.workflow.parameterType(k).check(k, v));
    return out;
  }

  AttemptContext context(
      Claim claim,
      Dag dag,
      LocalLogStore.Sink log,
      CancelSignal cancel,
      Optional<Instant> deadline) {
    long runId = claim.run().id;
    String taskId = claim.attempt().taskId;
    List<String> upstream =
        dag.incoming.get(taskId).stream().map(e -> e.from()).distinct().toList();
    Supplier<Map<String, Map<String, String>>> outputs =
        Suppliers.memoize(
            () ->
                upstream.isEmpty()
                    ? Map.of()
                    : store
                        .tx(
                            "read upstream outputs of " + claim.describe(),
                            m -> m.selectTaskStates(runId, upstream))
                        .stream()
                        // the latest attempt of each upstream task counts (a rerun adds attempts)
                        .collect(
                            Collectors.toMap(
                                r -> r.taskId, r -> r, (x, y) -> x.attempt >= y.attempt ? x : y))
                        .values()
                        .stream()
                        .filter(r -> TaskState.SUCCESS.name().equals(r.state))
                        .collect(Collectors.toMap(r -> r.taskId, r -> Json.stringMap(r.outputs))));
    Supplier<Map<String, String>> params = () -> parameters(dag, claim);
    return new AttemptContext(claim, dag, params, outputs, log, cancel, deadline, clock)
        .withLogic(new LogicContext(store, claim, dag, runAccess.forAttempt(claim)));
  }

  Result toResult(Claim claim, TaskOutcome outcome, CancelSignal cancel, LocalLogStore.Sink log) {
    Cause cause = cancel.cause();
    if (cause == Cause.KILL) {
      return result(claim, TaskState.KILLED, false, Map.of(), cancel.reason(), log);
    }
    if (cause == Cause.TIMEOUT && !(outcome instanceof TaskOutcome.Success)) {
      return result(claim, TaskState.FAILED, true, Map.of(), cancel.reason(), log);
    }
    if (outcome instanceof TaskOutcome.Success s) {
      Result r = result(claim, TaskState.SUCCESS, false, s.outputs(), null, log);
      return s.branches().isEmpty() || r.state() != TaskState.SUCCESS
          ? r
          : Branches.withChoice(r, s.branches().get());
    }
    if (outcome instanceof TaskOutcome.Failure f) {
      return result(claim, TaskState.FAILED, f.retryable(), Map.of(), f.message(), log);
    }
    return result(
        claim, TaskState.SKIPPED, false, Map.of(), ((TaskOutcome.Skipped) outcome).reason(), log);
  }

  /** Longest message stored with an attempt; longer ones are cut (the log has everything). */
  public static final int MAX_MESSAGE = 4_000;

  /**
   * Largest outputs of one attempt, in characters of their JSON; they travel through the database
   * to downstream.
   */
  static final int MAX_OUTPUTS = 60_000;

  /**
   * Largest outputs of one attempt in bytes of UTF-8 JSON: the column ({@code TEXT}) holds 65,535
   * bytes, so 60,000 characters outside ASCII could pass {@link #MAX_OUTPUTS} and then fail to be
   * stored.
   */
  static final int MAX_OUTPUT_BYTES = 65_000;

  static Result result(
      Claim claim,
      TaskState state,
      boolean retryable,
      Map<String, String> outputs,
      String message,
      LocalLogStore.Sink log) {
    String pointer = log == null ? null : log.pointer();
    String json = outputs.isEmpty() ? null : Json.write(outputs);
    if (json != null && json.length() > MAX_OUTPUTS) {
      return new Result(
          claim,
          TaskState.FAILED,
          false,
          null,
          "the task's outputs take "
              + json.length()
              + " characters as JSON; at most "
              + MAX_OUTPUTS
              + " are allowed",
          pointer);
    }
    int bytes = json == null ? 0 : com.google.common.base.Utf8.encodedLength(json);
    if (bytes > MAX_OUTPUT_BYTES) {
      return new Result(
          claim,
          TaskState.FAILED,
          false,
          null,
          "the task's outputs take "
              + bytes
              + " bytes as UTF-8 JSON; at most "
              + MAX_OUTPUT_BYTES
              + " are allowed",
          pointer);
    }
    if (message != null && message.length() > MAX_MESSAGE) {
      message = Texts.prefix(message, MAX_MESSAGE - 20) + " ... (cut; see the log)";
    }
    return new Result(claim, state, retryable, json, message, pointer);
  }

  /**
   * The outcome of a task that threw: its own failure for a {@link TaskFailedException}, else a
   * retryable failure naming the exception.
   */
  static TaskOutcome failureOf(Throwable t) {
    return t instanceof TaskFailedException f ? f.outcome() : TaskOutcome.failure(describe(t));
  }

  /** A running external attempt released the tasks behind its RUNNING edges. */
  void release(Claim claim) {
    completer.release(claim);
  }

  static String describe(Throwable t) {
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  static String describe(Duration d) {
    return d.toMillis() < 1000 ? d.toMillis() + "ms" : d.toSeconds() + "s";
  }

  /** Cancels every local attempt of the given runs (a kill seen by this instance). */
  public void cancelRun(long runId, String reason) {
    local.values().stream()
        .filter(la -> la.claim.run().id == runId)
        .forEach(la -> cancel(la, Cause.KILL, reason));
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
      external.cancelled(la);
      watchdog.watch(la);
    }
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
    pointers.shutdownNow();
  }
}
