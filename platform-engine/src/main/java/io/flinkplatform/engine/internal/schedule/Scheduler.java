package io.flinkplatform.engine.internal.schedule;

import io.flinkplatform.engine.dag.DateMacros;
import io.flinkplatform.engine.event.PlatformEvent;
import io.flinkplatform.engine.event.PlatformEvent.RunStateChanged;
import io.flinkplatform.engine.internal.common.Events;
import io.flinkplatform.engine.internal.common.Json;
import io.flinkplatform.engine.internal.common.Outage;
import io.flinkplatform.engine.internal.common.Texts;
import io.flinkplatform.engine.internal.common.Wakeup;
import io.flinkplatform.engine.internal.definition.Definitions;
import io.flinkplatform.engine.internal.lease.LeaseClock;
import io.flinkplatform.engine.internal.progress.Runs;
import io.flinkplatform.engine.internal.store.Rows;
import io.flinkplatform.engine.internal.store.Rows.FlowRow;
import io.flinkplatform.engine.internal.store.Rows.RunRow;
import io.flinkplatform.engine.internal.store.Rows.ScheduleMove;
import io.flinkplatform.engine.internal.store.Rows.ScheduleRow;
import io.flinkplatform.engine.internal.store.Rows.ScopeRow;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.internal.store.StoreMapper;
import io.flinkplatform.engine.run.Limit;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.schedule.Backfill;
import io.flinkplatform.engine.schedule.MisfirePolicy;
import io.flinkplatform.engine.schedule.OverlapPolicy;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.apache.ibatis.exceptions.PersistenceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires due schedules and admits runs held in CREATED. Every instance runs one; the database
 * decides who does what:
 *
 * <ul>
 *   <li>Due schedules are locked with {@code FOR UPDATE SKIP LOCKED}; the runs of a fire time and
 *       the move of {@code next_fire_at} commit together, and the move is a compare-and-set on the
 *       old value. A unique key on (schedule, fire time) backs it up. So each fire time starts at
 *       most one run, whichever instance sees it first.
 *   <li>Admission locks the schedule or backfill row, counts its active runs and starts the oldest
 *       held ones up to the limit.
 *   <li>A due row this instance cannot read or fire is quarantined on its own (reason and a retry
 *       time on the row, {@code ScheduleQuarantined}); the rest of the batch fires.
 * </ul>
 *
 * <p>A fire time is due once both this instance's clock and the database's clock reached it: an
 * instance whose clock runs ahead never fires a run before its time on the clock all instances
 * share (and never writes creation and ready times from its future, which would hide the new work
 * from the other instances' claims), while a clock a test sets still holds firing back.
 *
 * <p>The loop sleeps until the earliest next fire time in the database (at most one poll interval),
 * so fire lag is the time of one transaction, not a poll period.
 */
public final class Scheduler implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
  private static final int FIRE_BATCH = 200;
  private static final long BUSY_RETRY_MILLIS = 10;
  private static final int MAX_MISSED_COUNTED = 10_000;
  private static final List<RunState> ACTIVE = List.of(RunState.RUNNING, RunState.KILLING);
  private static final List<RunState> HELD = List.of(RunState.CREATED);

  /** How long a schedule this instance could not read is set aside before any instance retries. */
  static final long QUARANTINE_MILLIS = 60_000;

  private static final int MAX_REASON = 1000;

  private final Store store;
  private final Definitions definitions;
  private final Events events;
  private final Clock clock;
  private final LeaseClock databaseClock;
  private final long pollMillis;
  private final Consumer<List<Long>> killer;
  private final LongConsumer started;
  private final Wakeup wakeup = new Wakeup();
  private final Outage outage;
  private volatile boolean running = true;

  /**
   * @param killer kills runs (after the transaction that decided it committed)
   * @param started told the time whenever runs started, to wake the dispatcher
   */
  public Scheduler(
      Store store,
      Definitions definitions,
      Events events,
      Clock clock,
      LeaseClock databaseClock,
      long pollMillis,
      Consumer<List<Long>> killer,
      LongConsumer started) {
    this.store = store;
    this.definitions = definitions;
    this.events = events;
    this.clock = clock;
    this.databaseClock = databaseClock;
    this.outage = new Outage("scheduler", LOG, events, clock);
    this.pollMillis = pollMillis;
    this.killer = killer;
    this.started = started;
  }

  /** A schedule changed or a run ended here: look again now. */
  public void wake() {
    wakeup.signal();
  }

  public void stop() {
    running = false;
    wakeup.signal();
  }

  @Override
  public void run() {
    while (running) {
      try {
        int fired;
        int total = 0;
        do {
          fired = fireDue(clock.millis());
          outage.recovered();
          total += fired;
        } while (fired == FIRE_BATCH && running);
        admit();
        Long next = store.tx("read the next fire time", StoreMapper::nextFireAt);
        outage.recovered();
        long wait = pollMillis;
        if (next != null) {
          long now = sharedNow(clock.millis());
          // due but nothing to lock: another instance is firing them; look again shortly
          // instead of spinning on the rows it holds
          wait = Math.min(wait, next <= now && total == 0 ? BUSY_RETRY_MILLIS : next - now);
        }
        if (wait > 0) {
          wakeup.await(wait);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Throwable t) {
        if (!outage.reportAndBackOff(t, events, clock, wakeup)) {
          return;
        }
      }
    }
  }

  /** What one firing transaction decided; acted upon after it commits. */
  private static final class Fired {
    final List<PlatformEvent> events = new ArrayList<>();
    final List<Long> kills = new ArrayList<>();
    int schedules;
    boolean startedRuns;
    // read once per batch, written once per batch
    final Map<String, FlowRow> flows = new HashMap<>();
    final Map<Long, List<RunRow>> open = new HashMap<>();
    final List<RunRow> runs = new ArrayList<>();
    final List<ScheduleMove> moves = new ArrayList<>();

    /** The time the batch fired at: the earlier of this instance's and the database's clock. */
    long now;
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
                out.events.add(new RunStateChanged(at, r.id, r.flowName, r.state));
              }
              // every row of the batch may have been quarantined: then nothing moves
              if (!out.moves.isEmpty() && m.advanceSchedules(out.moves, now) != out.moves.size()) {
                throw new IllegalStateException("a due schedule moved under its row lock");
              }
              return out;
            });
    events.emitAll(f.events);
    if (!f.kills.isEmpty()) {
      killer.accept(f.kills);
    }
    if (f.startedRuns) {
      started.accept(f.now);
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
      int events = out.events.size();
      int runs = out.runs.size();
      int moves = out.moves.size();
      int kills = out.kills.size();
      try {
        fire(m, s, now, out);
        return;
      } catch (PersistenceException e) {
        throw e;
      } catch (RuntimeException e) {
        // undo what this row added to the batch, keep the others'
        out.events.subList(events, out.events.size()).clear();
        out.runs.subList(runs, out.runs.size()).clear();
        out.moves.subList(moves, out.moves.size()).clear();
        out.kills.subList(kills, out.kills.size()).clear();
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
            Instant.ofEpochMilli(now), s.name, problem, Instant.ofEpochMilli(until)));
    LOG.warn(
        "schedule {} cannot be fired here; set aside until {}, the others keep firing: {}",
        s.name,
        Instant.ofEpochMilli(until),
        problem);
  }

  private void fire(StoreMapper m, ScheduleRow s, long now, Fired out) {
    int eventsBefore = out.events.size();
    Cron cron = Schedules.cron(s);
    Instant at = Instant.ofEpochMilli(now);
    MisfirePolicy.Kind misfire = MisfirePolicy.Kind.valueOf(s.misfire);
    int keep =
        switch (misfire) {
          case SKIP -> 0;
          case FIRE_ONCE -> 1;
          case CATCH_UP -> s.catchUpLimit;
        };
    Deque<Long> missed = new ArrayDeque<>();
    List<Long> onTime = new ArrayList<>();
    int missedCount = 0;
    long firstMissed = 0;
    Long t = s.nextFireAt;
    while (t != null && t <= now) {
      if (now - t > s.misfireAfterMs) {
        if (missedCount++ == 0) {
          firstMissed = t;
        }
        missed.addLast(t);
        if (missed.size() > keep) {
          missed.removeFirst();
        }
        if (missedCount >= MAX_MISSED_COUNTED) {
          // a long outage of a frequent schedule: stop counting, go on from the threshold
          t = Schedules.next(cron, s, now - s.misfireAfterMs - 1);
          continue;
        }
      } else {
        onTime.add(t);
      }
      t = Schedules.next(cron, s, t);
    }
    List<Long> fires = new ArrayList<>(missed);
    fires.addAll(onTime);
    if (missedCount > 0) {
      out.events.add(
          new PlatformEvent.ScheduleMisfired(
              at, s.name, missedCount, missed.size(), Instant.ofEpochMilli(firstMissed)));
      LOG.info(
          "schedule {} missed {} fire time(s) since {}; misfire policy {} runs {}",
          s.name,
          missedCount,
          Instant.ofEpochMilli(firstMissed),
          misfire,
          missed.size());
    }
    Long last = fires.isEmpty() ? null : fires.get(fires.size() - 1);
    if (!fires.isEmpty()) {
      startRuns(m, s, fires, now, out);
    }
    String skip = null; // why fire times of this turn did not all run: explain() shows it
    for (PlatformEvent e : out.events.subList(eventsBefore, out.events.size())) {
      if (e instanceof PlatformEvent.ScheduleMisfired mf) {
        skip =
            "misfire policy "
                + misfire
                + " ran "
                + mf.fired()
                + " of "
                + mf.missed()
                + " missed fire time(s) since "
                + mf.firstMissed()
                + " (noticed at "
                + at
                + ")";
      } else if (e instanceof PlatformEvent.ScheduleFireSkipped sk) {
        skip = "fire time " + sk.fireTime() + " skipped: " + sk.reason();
      }
    }
    ScheduleMove move = new ScheduleMove();
    move.id = s.id;
    move.expected = s.nextFireAt;
    move.next = t;
    move.last = last;
    move.skip = skip;
    out.moves.add(move);
  }

  private void startRuns(StoreMapper m, ScheduleRow s, List<Long> fires, long now, Fired out) {
    Instant at = Instant.ofEpochMilli(now);
    FlowRow flow = out.flows.computeIfAbsent(s.flowName, n -> m.selectFlow(n, null));
    if (flow == null) {
      for (long fire : fires) {
        out.events.add(
            new PlatformEvent.ScheduleFireSkipped(
                at,
                s.name,
                Instant.ofEpochMilli(fire),
                "workflow '" + s.flowName + "' is not deployed"));
      }
      LOG.warn("schedule {}: workflow '{}' is not deployed; fire skipped", s.name, s.flowName);
      return;
    }
    OverlapPolicy.Kind overlap = OverlapPolicy.Kind.valueOf(s.overlap);
    List<RunRow> open = out.open.getOrDefault(s.id, List.of());
    List<Long> earlier =
        open.stream().filter(r -> ACTIVE.contains(r.state)).map(r -> r.id).toList();
    int active = earlier.size();
    int held = (int) open.stream().filter(r -> HELD.contains(r.state)).count();
    Map<String, String> params = new LinkedHashMap<>(Json.stringMap(s.params));
    params.putIfAbsent(DateMacros.TIMEZONE, s.zone);
    for (int i = 0; i < fires.size(); i++) {
      long fire = fires.get(i);
      RunState state;
      switch (overlap) {
        case SKIP -> {
          if (active > 0) {
            out.events.add(
                new PlatformEvent.ScheduleFireSkipped(
                    at,
                    s.name,
                    Instant.ofEpochMilli(fire),
                    "overlap policy SKIP: " + active + " earlier run(s) still active"));
            continue;
          }
          state = RunState.RUNNING;
        }
        case CANCEL_PREVIOUS -> {
          if (i < fires.size() - 1) {
            // caught-up fire times: only the latest runs, the others would be killed at once
            out.events.add(
                new PlatformEvent.ScheduleFireSkipped(
                    at,
                    s.name,
                    Instant.ofEpochMilli(fire),
                    "overlap policy CANCEL_PREVIOUS: a later fire time replaces it"));
            continue;
          }
          out.kills.addAll(earlier);
          active = 0;
          state = RunState.RUNNING;
        }
        default -> {
          // QUEUE and ALLOW: start while under the limit and nothing older waits
          state = held == 0 && active < s.maxParallel ? RunState.RUNNING : RunState.CREATED;
        }
      }
      RunRow run = Runs.newRun(flow, params, fire, now, state);
      run.scheduleId = s.id;
      run.fireTime = fire;
      run.maxActive = s.maxParallel;
      out.runs.add(run);
      if (state == RunState.RUNNING) {
        active++;
        out.startedRuns = true;
      } else {
        held++;
      }
    }
  }

  /**
   * Starts held runs whose schedule or backfill has room now, one transaction per scope. A failed
   * transaction ends the turn; the next turn starts at the scope that failed, so that while the
   * database fails now and then, every scope gets its turn instead of the first few in the list.
   */
  void admit() {
    List<ScopeRow> scopes = store.tx("find held runs", StoreMapper::selectWaitingScopes);
    outage.recovered();
    int n = scopes.size();
    int from = n == 0 ? 0 : Math.floorMod(admitCursor, n);
    for (int i = 0; i < n; i++) {
      admit(scopes.get((from + i) % n));
      admitCursor++;
      outage.recovered();
    }
  }

  /** Where the next turn of {@link #admit()} starts in the list of scopes (loop thread only). */
  private int admitCursor;

  private void admit(ScopeRow scope) {
    long[] at = new long[1];
    List<RunRow> admitted =
        store.tx(
            "admit held runs",
            m -> {
              int room = Integer.MAX_VALUE;
              if (scope.backfillId != null) {
                Rows.BackfillRow b = m.selectBackfill(scope.backfillId, true);
                if (b == null || b.state != Backfill.State.RUNNING) {
                  return List.<RunRow>of();
                }
              } else if (scope.scheduleId != null
                  && m.lockSchedule(null, scope.scheduleId) == null) {
                // the schedule was deleted (its held runs still start): no row to serialise
                // admission on, so lock its held runs instead; a second instance waits here and
                // then counts the runs the first one started
                m.lockCreatedRunsOfSchedule(scope.scheduleId);
              }
              if (scope.backfillId != null || scope.scheduleId != null) {
                room = -m.selectActiveRunIds(scope.scheduleId, scope.backfillId, ACTIVE).size();
              }
              Rows.PoolRow workflowLimit = m.lockPool(Limit.Kind.RUNS, scope.flowName);
              int workflowRoom =
                  workflowLimit == null
                      ? Integer.MAX_VALUE
                      : workflowLimit.slots - m.countActiveRunsOfFlow(scope.flowName);
              List<RunRow> held =
                  m.selectCreatedRuns(scope.scheduleId, scope.backfillId, scope.flowName, 1000);
              List<RunRow> go = new ArrayList<>();
              for (RunRow r : held) {
                boolean scoped = scope.backfillId != null || scope.scheduleId != null;
                int limit = !scoped ? Integer.MAX_VALUE : r.maxActive == null ? 1 : r.maxActive;
                if ((scoped && room + limit <= go.size()) || go.size() >= workflowRoom) {
                  break;
                }
                go.add(r);
              }
              if (go.isEmpty()) {
                return go;
              }
              // read after the count, so a run starts no earlier than the ones it waited for
              // ended
              long now = clock.millis();
              at[0] = now;
              m.admitRuns(go.stream().map(r -> r.id).toList(), now);
              go.forEach(
                  r -> {
                    r.state = RunState.RUNNING;
                    r.startedAt = now;
                  });
              Runs.start(m, definitions, go, now);
              return go;
            });
    if (!admitted.isEmpty()) {
      long now = at[0];
      for (RunRow r : admitted) {
        events.emit(
            new RunStateChanged(Instant.ofEpochMilli(now), r.id, r.flowName, RunState.RUNNING));
      }
      started.accept(now);
    }
  }
}
