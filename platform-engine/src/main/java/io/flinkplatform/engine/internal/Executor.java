package io.flinkplatform.engine.internal;

import com.google.common.base.Suppliers;
import io.flinkplatform.engine.StoreException;
import io.flinkplatform.engine.dag.DateMacros;
import io.flinkplatform.engine.internal.CancelSignal.Cause;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs claimed attempts on the worker pool and hands their results to the {@link Completer}.
 * Synchronous task types hold a worker thread (one permit) while they run; external task types are
 * driven by {@link ExternalDriver} without one.
 */
final class Executor {
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

  private final Map<String, String> globalParameters;

  Executor(
      Definitions definitions,
      Store store,
      LocalLogStore logs,
      Completer completer,
      ExecutorService workers,
      ScheduledExecutorService timers,
      int permits,
      Clock clock,
      Map<String, String> globalParameters,
      Runnable onSlotFree) {
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
    this.external = new ExternalDriver(store, workers, timers, this);
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

  /** Starts a claimed attempt; the caller acquired one permit for it. */
  void start(Claim claim) {
    LocalAttempt la = new LocalAttempt(claim);
    LocalAttempt stale = local.put(claim.id(), la);
    if (stale != null) {
      cancel(stale, Cause.RELEASE, "claimed again with epoch " + claim.epoch());
    }
    workers.execute(() -> run(la));
  }

  Collection<LocalAttempt> attempts() {
    return local.values();
  }

  private void run(LocalAttempt la) {
    Claim claim = la.claim;
    if (la.cancel.isCancelled()) {
      finish(la, null, null);
      return;
    }
    la.thread = Thread.currentThread();
    LocalLogStore.Sink log =
        logs.open(claim.run().id, claim.attempt().taskId, claim.attempt().attempt);
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
        la.cancel.onCancel(
            () -> {
              Thread t = la.thread;
              if (t != null) {
                t.interrupt();
              }
            });
        AttemptContext ctx = context(claim, dag, log, la.cancel, deadline);
        if (type instanceof ExternalTaskType ext) {
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
      if (t instanceof VirtualMachineError e) {
        throw e;
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
    finish(la, result, log);
  }

  /**
   * Ends a local attempt once: hands it back when it was released (or never ran), else queues its
   * result for commit.
   */
  void finish(LocalAttempt la, Result result, LocalLogStore.Sink log) {
    if (!la.finished.compareAndSet(false, true)) {
      return;
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
  }

  private void returnPermit(LocalAttempt la) {
    if (la.permitReturned.compareAndSet(false, true)) {
      permits.release();
      onSlotFree.run();
    }
  }

  /**
   * The task's parameters: global &lt; workflow &lt; run &lt; task, date macros rendered against
   * the logical date, then every upstream output as {@code <task>.<key>}.
   */
  private Map<String, String> parameters(
      Dag dag, Claim claim, Map<String, Map<String, String>> upstreamOutputs) {
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
    upstreamOutputs.forEach(
        (task, values) -> values.forEach((k, v) -> out.putIfAbsent(task + "." + k, v)));
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
    Supplier<Map<String, String>> params = () -> parameters(dag, claim, outputs.get());
    RunAccess access = runAccess;
    return new AttemptContext(claim, dag, params, outputs, log, cancel, deadline, clock)
        .withLogic(
            new LogicContext(store, claim, dag, access == null ? null : access.forAttempt(claim)));
  }

  private volatile RunAccess runAccess;

  /** Gives tasks access to other runs ({@code TaskContext.platform()}); set once at start. */
  void runAccess(RunAccess access) {
    this.runAccess = access;
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
  static final int MAX_MESSAGE = 4_000;

  /** Largest outputs of one attempt, as JSON; they travel through the database to downstream. */
  static final int MAX_OUTPUTS = 60_000;

  private static Result result(
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
    if (message != null && message.length() > MAX_MESSAGE) {
      message = message.substring(0, MAX_MESSAGE - 20) + " ... (cut; see the log)";
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
  void cancelRun(long runId, String reason) {
    local.values().stream()
        .filter(la -> la.claim.run().id == runId)
        .forEach(la -> cancel(la, Cause.KILL, reason));
  }

  /**
   * Stops an attempt whose claim is lost (or presumed lost): it is handed back, and external work
   * is left running for its new owner, even if a timeout or kill cancelled it first.
   */
  void abandon(LocalAttempt la, String reason) {
    la.lost = true;
    cancel(la, Cause.RELEASE, reason);
  }

  void cancel(LocalAttempt la, Cause cause, String reason) {
    if (la.cancel.fire(cause, reason)) {
      LOG.debug("cancelled {}: {}", la.claim.describe(), reason);
      external.cancelled(la);
    }
  }
}
