package io.flinkplatform.engine.internal.progress;

import io.flinkplatform.engine.event.PlatformEvent;
import io.flinkplatform.engine.event.PlatformEvent.TaskStateChanged;
import io.flinkplatform.engine.internal.claim.Claim;
import io.flinkplatform.engine.internal.common.Events;
import io.flinkplatform.engine.internal.common.Signals;
import io.flinkplatform.engine.internal.definition.Definitions;
import io.flinkplatform.engine.internal.model.Decision;
import io.flinkplatform.engine.internal.store.AttemptRow;
import io.flinkplatform.engine.internal.store.RunRow;
import io.flinkplatform.engine.internal.store.StoreMapper;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.spi.Actor;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The completion step's entry point, inside the caller's transaction: writes a batch of outcomes
 * ({@link OutcomeWriter}), records RUNNING releases ({@link ReleaseWriter}) and closes finished
 * runs ({@link RunCloser}); the tasks downstream are decided by the run model through {@link
 * DownstreamResolver}. The runs are locked first, which serialises all progress of one run; the
 * number of statements depends on the depth of skip propagation, not on the number of outcomes.
 */
public final class Progress {
  /**
   * At most this many tasks per statement that names tasks one by one (an IN list, a CASE per row),
   * so that a fan-out of thousands of tasks is written in bounded statements, each well within the
   * statement timeout and the driver's limit of placeholders.
   */
  public static final int CHUNK = 500;

  private final OutcomeWriter outcomes;
  private final ReleaseWriter releases;
  private final RunCloser closer;

  public Progress(Definitions definitions, Clock clock) {
    DownstreamResolver downstream = new DownstreamResolver();
    this.closer = new RunCloser(definitions);
    this.outcomes = new OutcomeWriter(definitions, clock, downstream, closer);
    this.releases = new ReleaseWriter(definitions, clock, downstream);
  }

  /** What one transaction changed; events are emitted only after it commits. */
  public static final class Changes {
    public final List<PlatformEvent> events = new ArrayList<>();
    final List<Result> stale = new ArrayList<>();

    /** Outcomes a retried batch found stored by its own earlier commit (see alreadyApplied). */
    int alreadyApplied;

    public final Set<Long> closedRuns = new LinkedHashSet<>();
    public boolean readied;

    /** Whether the transaction wrote alerts (the delivery loop is told after the commit). */
    public boolean alerted;

    public long nextReadyAt = Long.MAX_VALUE;

    public void readyAt(long at) {
      readied = true;
      nextReadyAt = Math.min(nextReadyAt, at);
    }

    /**
     * After the commit: emits the events and wakes what the changes concern (the dispatcher for
     * ready work, waiters on closed runs, the alert delivery).
     */
    void announce(Events events, Signals signals) {
      events.emitAll(this.events);
      if (readied) {
        signals.workReady(nextReadyAt);
      }
      if (!closedRuns.isEmpty()) {
        signals.runClosed();
      }
      if (alerted) {
        signals.alertsDue();
      }
    }
  }

  public static Map<Long, RunRow> lockRuns(StoreMapper m, Collection<Long> runIds) {
    Map<Long, RunRow> runs = new HashMap<>();
    m.lockRuns(new TreeSet<>(runIds)).forEach(r -> runs.put(r.id, r));
    return runs;
  }

  /** Ends the attempts of {@code results} and decides what follows (see {@link OutcomeWriter}). */
  Changes complete(StoreMapper m, List<Result> results) {
    return outcomes.complete(m, results);
  }

  /** Records the releases of {@code claims} (see {@link ReleaseWriter}). */
  void release(StoreMapper m, List<Claim> claims, Changes c) {
    releases.release(m, claims, c);
  }

  /** Closes the runs of which no attempt is left to run. */
  public void closeIfDone(StoreMapper m, List<RunRow> runs, long now, Changes c) {
    closer.closeIfDone(m, runs, Set.of(), now, c);
  }

  /**
   * Ends or readies WAITING attempts, {@link #CHUNK} per statement. Attempts that only become READY
   * (no message), the common case of a DAG, go in a statement that names each by its id alone: the
   * other takes four placeholders per attempt (a derived table of id, state, message, end), and
   * MyBatis builds each at a cost, a large share of the completer's time on a 10,000-task DAG.
   */
  public static void resolveWaiting(StoreMapper m, List<AttemptRow> rows, long now) {
    List<Long> ready = new ArrayList<>();
    List<AttemptRow> others = new ArrayList<>();
    for (AttemptRow r : rows) {
      if (r.state == TaskState.READY && r.message == null && r.endedAt == null) {
        ready.add(r.id);
      } else {
        others.add(r);
      }
    }
    for (int i = 0; i < ready.size(); i += CHUNK) {
      m.readyWaiting(ready.subList(i, Math.min(ready.size(), i + CHUNK)), now);
    }
    for (int i = 0; i < others.size(); i += CHUNK) {
      m.resolveWaiting(others.subList(i, Math.min(others.size(), i + CHUNK)), now);
    }
  }

  /**
   * The row that writes {@code d}, a decision of a WAITING attempt, with {@link #resolveWaiting}.
   */
  static AttemptRow resolution(Decision d, long now) {
    AttemptRow w = new AttemptRow();
    w.id = d.attempt().id();
    w.state = d.state();
    w.message = d.reason();
    w.endedAt = d.state() == TaskState.READY ? null : now;
    return w;
  }

  /**
   * A change the platform made to an attempt of {@code run}: in the run's workspace, by the system
   * actor ({@link TaskStateChanged#by} names a caller who made it).
   */
  public static TaskStateChanged taskEvent(
      long now, RunRow run, String taskId, int attempt, TaskState state, String message) {
    return new TaskStateChanged(
        Instant.ofEpochMilli(now),
        run.id,
        taskId,
        attempt,
        state,
        message,
        run.workspace,
        Actor.SYSTEM.name());
  }
}
