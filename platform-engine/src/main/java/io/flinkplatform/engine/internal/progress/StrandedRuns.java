package io.flinkplatform.engine.internal.progress;

import io.flinkplatform.engine.internal.alert.AlertRaiser;
import io.flinkplatform.engine.internal.common.Events;
import io.flinkplatform.engine.internal.common.Loop;
import io.flinkplatform.engine.internal.common.Signals;
import io.flinkplatform.engine.internal.definition.Definitions;
import io.flinkplatform.engine.internal.definition.UnreadableDefinitionException;
import io.flinkplatform.engine.internal.model.Decision;
import io.flinkplatform.engine.internal.model.RunModel;
import io.flinkplatform.engine.internal.store.AttemptRow;
import io.flinkplatform.engine.internal.store.RunRow;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.internal.store.StoreMapper;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskState;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heals runs stranded by a fan-in counter that is too high: a RUNNING run with a WAITING attempt
 * that keeps a counter, but no READY or RUNNING attempt left whose outcome could ever lower it (an
 * instance of a release before the counters ended its upstream tasks, or a path forgot the
 * counter). Every {@link #PERIOD_MILLIS} by the platform's clock, one statement finds at most
 * {@link #BATCH} such runs; each is then locked as the completion path locks it, checked again, and
 * its waiting tasks are decided in full by the run model over the whole run, as a rerun or a mark
 * decides them: READY ones are signalled, skips spread, and the run closes when nothing is left.
 * Every instance runs it on a loop of its own (the query that finds the runs grows with the table,
 * and must never hold a lease renewal back); the run lock and the check under it make two instances
 * heal a run once. A pass stops healing after {@code budgetMillis}, so that stopping the instance
 * waits little for it; what is left is healed at the next turn.
 */
public final class StrandedRuns implements Loop.Pass {
  private static final Logger LOG = LoggerFactory.getLogger(StrandedRuns.class);

  /** How often the runs are looked for. */
  public static final long PERIOD_MILLIS = 30_000;

  /** Runs looked for per pass at most. */
  static final int BATCH = 100;

  private final Store store;
  private final Definitions definitions;
  private final Progress progress;
  private final Events events;
  private final Signals signals;
  private final AlertRaiser alerts;
  private final Clock clock;
  private final long budgetNanos;
  private long nextSweep;

  public StrandedRuns(
      Store store,
      Definitions definitions,
      Progress progress,
      Events events,
      Signals signals,
      AlertRaiser alerts,
      Clock clock,
      long budgetMillis) {
    this.store = store;
    this.definitions = definitions;
    this.progress = progress;
    this.events = events;
    this.signals = signals;
    this.alerts = alerts;
    this.clock = clock;
    this.budgetNanos = budgetMillis * 1_000_000L;
    this.nextSweep = clock.millis() + PERIOD_MILLIS;
  }

  /** One pass: heals the stranded runs if a period passed since the last sweep that ended. */
  @Override
  public long runOnce() {
    long now = clock.millis();
    if (now < nextSweep) {
      return Loop.IDLE;
    }
    nextSweep = now + PERIOD_MILLIS; // also after a failure: the loop reports it once a period
    List<Long> runs = store.tx("find stranded runs", m -> m.selectStrandedRuns(BATCH));
    long end = System.nanoTime() + budgetNanos;
    int looked = 0;
    int healed = 0;
    for (Long run : runs) {
      if (System.nanoTime() - end > 0) {
        break;
      }
      looked++;
      healed += heal(run) ? 1 : 0;
    }
    // a batch cut short, or a full one that healed (healed runs are not found again), may have left
    // runs: the next turn goes on
    if (looked < runs.size() || (runs.size() == BATCH && healed > 0)) {
      nextSweep = now;
    }
    return Loop.IDLE;
  }

  /**
   * Decides the waiting tasks of {@code runId} if it is still stranded under its lock; returns
   * whether it was.
   */
  boolean heal(long runId) {
    long now = clock.millis();
    Progress.Changes c;
    try {
      c = tx(runId, now);
    } catch (UnreadableDefinitionException e) {
      LOG.warn(
          "run {} is stranded, but its workflow version cannot be read: {}", runId, e.toString());
      return false;
    }
    if (c == null) {
      return false;
    }
    c.announce(events, signals);
    return true;
  }

  /** The transaction of {@link #heal}; null when the run is not stranded under its lock. */
  private Progress.Changes tx(long runId, long now) {
    return store.tx(
        "decide the waiting tasks of stranded run " + runId,
        m -> {
          RunRow run = Progress.lockRuns(m, List.of(runId)).get(runId);
          if (run == null || run.state != RunState.RUNNING) {
            return null;
          }
          List<AttemptRow> rows = m.selectStatesOfRuns(List.of(runId), null);
          if (!stranded(rows)) {
            return null;
          }
          Progress.Changes changes = decide(m, run, AttemptRows.latest(rows), now);
          changes.alerted = alerts.raise(m, changes.events, now);
          return changes;
        });
  }

  /**
   * Whether the run's attempts hold a WAITING one with a counter and none READY or RUNNING: nothing
   * is left that could lower the counter (what the finding statement asks, again under the lock).
   */
  static boolean stranded(List<AttemptRow> rows) {
    boolean counted = false;
    for (AttemptRow r : rows) {
      if (r.state == TaskState.READY || r.state == TaskState.RUNNING) {
        return false;
      }
      counted |= r.state == TaskState.WAITING && r.openEdges != null;
    }
    return counted;
  }

  /**
   * Forgets the run's counters and lets the run model decide every waiting task over the whole run,
   * upstream first; writes the decisions and closes the run if nothing is left.
   */
  private Progress.Changes decide(
      StoreMapper m, RunRow run, Map<String, AttemptRow> latest, long now) {
    RunModel model = new RunModel(definitions.get(run.flowId).graph, run.state);
    latest.forEach((t, r) -> model.load(t, AttemptRows.toModel(r)));
    List<String> wrong = new ArrayList<>();
    latest.forEach(
        (t, r) -> {
          if (r.state == TaskState.WAITING && r.openEdges != null) {
            int exact = model.openEdges(t);
            if (r.openEdges != exact) {
              wrong.add(
                  String.format(
                      "'%s' (its counter said %d edge(s) were open, %s)",
                      t, r.openEdges, exact == 0 ? "none were" : exact + " were"));
            }
          }
        });
    m.forgetOpenEdges(run.id);
    Progress.Changes c = new Progress.Changes();
    List<AttemptRow> resolutions = new ArrayList<>();
    List<String> decided = new ArrayList<>();
    for (Decision d : model.decideWaiting()) {
      resolutions.add(Progress.resolution(d, now));
      decided.add(d.task() + "=" + d.state());
      c.events.add(
          Progress.taskEvent(now, run, d.task(), d.attempt().number(), d.state(), d.reason()));
      if (d.state() == TaskState.READY) {
        c.readyAt(now);
      }
    }
    Progress.resolveWaiting(m, resolutions, now);
    progress.closeIfDone(m, List.of(run), now, c);
    LOG.warn(
        "run {} was stranded: no task was left to run, but task(s) {} waited; decided them in full:"
            + " {}{}",
        run.id,
        wrong.isEmpty() ? "(none with a wrong counter)" : String.join(", ", wrong),
        decided,
        c.closedRuns.contains(run.id) ? ", and the run ended " + run.state : "");
    return c;
  }
}
