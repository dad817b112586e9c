package io.flinkplatform.engine.internal.schedule;

import io.flinkplatform.engine.dag.DateMacros;
import io.flinkplatform.engine.event.PlatformEvent;
import io.flinkplatform.engine.internal.common.Json;
import io.flinkplatform.engine.internal.progress.Runs;
import io.flinkplatform.engine.internal.store.FlowRow;
import io.flinkplatform.engine.internal.store.Limits;
import io.flinkplatform.engine.internal.store.RunRow;
import io.flinkplatform.engine.internal.store.ScheduleMove;
import io.flinkplatform.engine.internal.store.ScheduleRow;
import io.flinkplatform.engine.internal.store.StoreMapper;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.schedule.MisfirePolicy;
import io.flinkplatform.engine.schedule.OverlapPolicy;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decision for one due schedule, inside the firing transaction: which of its passed fire times
 * run (misfire policy), whether each starts, waits in CREATED or is skipped (overlap policy, max
 * parallel runs), which earlier runs are killed, and where the schedule moves next. Writes nothing
 * itself but the new runs' rows through the batch ({@link Fired}).
 */
final class Firing {
  private static final Logger LOG = LoggerFactory.getLogger(Firing.class);
  private static final int MAX_MISSED_COUNTED = 10_000;
  static final List<RunState> ACTIVE = List.of(RunState.RUNNING, RunState.KILLING);
  private static final List<RunState> HELD = List.of(RunState.CREATED);

  private Firing() {}

  /** Fires one due schedule into the batch {@code out}: its runs, events and move. */
  static void fire(StoreMapper m, ScheduleRow s, long now, Fired out) {
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
                  at, s.name, missedCount, missed.size(), Instant.ofEpochMilli(firstMissed))
              .in(s.workspace));
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

  private static void startRuns(
      StoreMapper m, ScheduleRow s, List<Long> fires, long now, Fired out) {
    Instant at = Instant.ofEpochMilli(now);
    FlowRow flow =
        out.flows.computeIfAbsent(
            Limits.scoped(s.workspace, s.flowName),
            n -> m.selectFlow(s.workspace, s.flowName, null));
    if (flow == null) {
      for (long fire : fires) {
        out.events.add(
            new PlatformEvent.ScheduleFireSkipped(
                    at,
                    s.name,
                    Instant.ofEpochMilli(fire),
                    "workflow '" + s.flowName + "' is not deployed")
                .in(s.workspace));
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
                        "overlap policy SKIP: " + active + " earlier run(s) still active")
                    .in(s.workspace));
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
                        "overlap policy CANCEL_PREVIOUS: a later fire time replaces it")
                    .in(s.workspace));
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
      RunRow run = Runs.newRun(flow, params, fire, now, state, "schedule:" + s.name);
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
}
