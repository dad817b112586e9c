package io.flinkplatform.engine.internal.schedule;

import io.flinkplatform.engine.event.PlatformEvent;
import io.flinkplatform.engine.event.PlatformEvent.RunStateChanged;
import io.flinkplatform.engine.internal.alert.AlertRaiser;
import io.flinkplatform.engine.internal.claim.LeaseClock;
import io.flinkplatform.engine.internal.common.Events;
import io.flinkplatform.engine.internal.common.Loop;
import io.flinkplatform.engine.internal.common.Signals;
import io.flinkplatform.engine.internal.common.Texts;
import io.flinkplatform.engine.internal.definition.Definitions;
import io.flinkplatform.engine.internal.metrics.Meters;
import io.flinkplatform.engine.internal.progress.Runs;
import io.flinkplatform.engine.internal.store.RunRow;
import io.flinkplatform.engine.internal.store.ScheduleRow;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.internal.store.StoreMapper;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import org.apache.ibatis.exceptions.PersistenceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires due schedules. Every instance runs one; the database decides who fires what:
 *
 * <ul>
 *   <li>Due schedules are locked with {@code FOR UPDATE SKIP LOCKED}; the runs of a fire time and
 *       the move of {@code next_fire_at} commit together, and the move is a compare-and-set on the
 *       old value. A unique key on (schedule, fire time) backs it up. So each fire time starts at
 *       most one run, whichever instance sees it first.
 *   <li>A due row this instance cannot read or fire is quarantined on its own (reason and a retry
 *       time on the row, {@code ScheduleQuarantined}); the rest of the batch fires.
 * </ul>
 *
 * <p>A fire time is due once both this instance's clock and the database's clock reached it: an
 * instance whose clock runs ahead never fires a run before its time on the clock all instances
 * share (and never writes creation and ready times from its future, which would hide the new work
 * from the other instances' claims), while a clock a test sets still holds firing back.
 *
 * <p>A pass asks for the next one at the earliest next fire time in the database (at most one poll
 * interval away), so fire lag is the time of one transaction, not a poll period. What one schedule
 * fires is {@link Firing}'s decision; runs held in CREATED are started by {@link Admission}.
 */
public final class ScheduleLoop implements Loop.Pass {
  private static final Logger LOG = LoggerFactory.getLogger(ScheduleLoop.class);
  private static final int FIRE_BATCH = 200;
  private static final long BUSY_RETRY_MILLIS = 10;
  private static final int MAX_REASON = 1000;

  /** How long a schedule this instance could not read is set aside before any instance retries. */
  static final long QUARANTINE_MILLIS = 60_000;

  private final Store store;
  private final Definitions definitions;
  private final Events events;
  private final Clock clock;
  private final LeaseClock databaseClock;
  private final Signals signals;
  private final long pollMillis;
  private final LongPredicate killer;
  private final AlertRaiser alerts;
  private final Meters meters;
  private volatile boolean firing = true;

  /** {@code killer} kills a run (after the transaction that decided it committed). */
  public ScheduleLoop(
      Store store,
      Definitions definitions,
      Events events,
      Clock clock,
      LeaseClock databaseClock,
      Signals signals,
      long pollMillis,
      LongPredicate killer,
      AlertRaiser alerts,
      Meters meters) {
    this.alerts = alerts;
    this.meters = meters;
    this.store = store;
    this.definitions = definitions;
    this.events = events;
    this.clock = clock;
    this.databaseClock = databaseClock;
    this.signals = signals;
    this.pollMillis = pollMillis;
    this.killer = killer;
  }

  /** Stops firing: a pass in a long backlog ends after its current batch (the instance stops). */
  public void stopFiring() {
    firing = false;
  }

  /**
   * One pass: fires every schedule due by now, batch by batch, then returns the time until the next
   * fire time (at most the poll interval; shortly if due rows are locked by another instance).
   */
  @Override
  public long runOnce() {
    int fired;
    int total = 0;
    do {
      fired = fireDue(clock.millis());
      total += fired;
    } while (fired == FIRE_BATCH && firing);
    Long next = store.tx("read the next fire time", StoreMapper::nextFireAt);
    long wait = pollMillis;
    if (next != null) {
      long now = sharedNow(clock.millis());
      // due but nothing to lock: another instance is firing them; look again shortly
      // instead of spinning on the rows it holds
      wait = Math.min(wait, next <= now && total == 0 ? BUSY_RETRY_MILLIS : next - now);
    }
    return Math.max(0, wait);
  }

  /**
   * The earlier of {@code now} (this instance's clock) and a time the database's clock surely
   * reached, as the heartbeat last read it (no query of its own).
   */
  private long sharedNow(long now) {
    return Math.min(now, databaseClock.reached());
  }

  /**
   * Fires the schedules due by {@code clockNow} and by the database's clock, one batch in one
   * transaction; returns how many were due.
   */
  int fireDue(long clockNow) {
    Fired f =
        store.tx(
            "fire due schedules",
            m -> {
              Fired out = new Fired();
              long now = sharedNow(clockNow);
              out.now = now;
              List<ScheduleRow> due = m.lockDueSchedules(now, FIRE_BATCH);
              out.schedules = due.size();
              if (due.isEmpty()) {
                return out;
              }
              // one statement per batch for the open runs, the new runs and the moves
              for (RunRow r : m.selectOpenRunsOfSchedules(due.stream().map(s -> s.id).toList())) {
                out.open.computeIfAbsent(r.scheduleId, k -> new ArrayList<>()).add(r);
              }
              for (ScheduleRow s : due) {
                fireIsolated(m, s, now, out);
              }
              Runs.insert(m, definitions, out.runs, now);
              Instant at = Instant.ofEpochMilli(now);
              for (RunRow r : out.runs) {
                out.events.add(
                    new RunStateChanged(at, r.id, r.flowName, r.state, r.workspace, r.triggeredBy));
              }
              // every row of the batch may have been quarantined: then nothing moves
              if (!out.moves.isEmpty() && m.advanceSchedules(out.moves, now) != out.moves.size()) {
                throw new IllegalStateException("a due schedule moved under its row lock");
              }
              out.alerted = alerts.raise(m, out.events, now); // misfires and skipped fire times
              return out;
            });
    events.emitAll(f.events);
    if (!f.runs.isEmpty() && meters.enabled()) {
      long fired = clock.millis();
      for (RunRow r : f.runs) {
        if (r.fireTime != null) {
          meters.fired(fired - r.fireTime);
        }
      }
    }
    f.kills.forEach(killer::test);
    if (f.startedRuns) {
      signals.workReady(f.now);
    }
    if (f.alerted) {
      signals.alertsDue();
    }
    return f.schedules;
  }

  /**
   * Fires one schedule of the batch; a row this instance cannot read (or fire) is quarantined
   * instead, so that it never holds back the others. Database errors still end the batch.
   */
  private void fireIsolated(StoreMapper m, ScheduleRow s, long now, Fired out) {
    String problem = Schedules.unreadable(s);
    if (problem == null) {
      Fired.Mark before = out.mark();
      try {
        Firing.fire(m, s, now, out);
        return;
      } catch (PersistenceException e) {
        throw e;
      } catch (RuntimeException e) {
        out.undoTo(before); // what this row added to the batch; the others' stays
        problem = "firing it failed: " + e;
      }
    }
    if (problem.length() > MAX_REASON) {
      problem = Texts.prefix(problem, MAX_REASON - 3) + "...";
    }
    long until = now + QUARANTINE_MILLIS;
    if (m.quarantineSchedule(s.id, s.nextFireAt, problem, until, now) != 1) {
      throw new IllegalStateException("a due schedule moved under its row lock");
    }
    out.events.add(
        new PlatformEvent.ScheduleQuarantined(
                Instant.ofEpochMilli(now), s.name, problem, Instant.ofEpochMilli(until))
            .in(s.workspace));
    LOG.warn(
        "schedule {} cannot be fired here; set aside until {}, the others keep firing: {}",
        s.name,
        Instant.ofEpochMilli(until),
        problem);
  }
}
