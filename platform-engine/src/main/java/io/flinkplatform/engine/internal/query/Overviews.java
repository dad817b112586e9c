package io.flinkplatform.engine.internal.query;

import io.flinkplatform.engine.internal.access.Caller;
import io.flinkplatform.engine.internal.store.GroupCount;
import io.flinkplatform.engine.internal.store.RunRow;
import io.flinkplatform.engine.internal.store.ScheduleRow;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.internal.store.StoreMapper;
import io.flinkplatform.engine.run.Overview;
import io.flinkplatform.engine.run.Overview.HourCounts;
import io.flinkplatform.engine.run.Overview.ScheduleLag;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.WorkflowRun;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * A workspace's overview, read in one transaction. Run times are the platform's clock (the one runs
 * are stamped with); liveness is the database's (leases); schedule lag is the time schedules fire
 * by (the earlier of this instance's clock and the database's).
 */
public final class Overviews {
  private static final long HOUR = Duration.ofHours(1).toMillis();
  private static final int HOURS = 24;
  private static final List<RunState> ACTIVE = List.of(RunState.RUNNING, RunState.KILLING);

  private final Store store;
  private final Clock clock;
  private final LongSupplier scheduleNow;

  /**
   * @param scheduleNow the time schedules fire by, in epoch milliseconds
   */
  public Overviews(Store store, Clock clock, LongSupplier scheduleNow) {
    this.store = store;
    this.clock = clock;
    this.scheduleNow = scheduleNow;
  }

  private record Read(
      List<GroupCount> hours,
      List<RunRow> running,
      int runningCount,
      List<RunRow> failures,
      int failureCount,
      List<GroupCount> ready,
      int live,
      List<ScheduleRow> schedules) {}

  public Overview overview(Caller caller) {
    String ws = caller.workspace();
    long now = clock.millis();
    long since = Math.floorDiv(now, HOUR) * HOUR - (HOURS - 1) * HOUR;
    long failedSince = now - HOURS * HOUR;
    Read r =
        store.tx(
            "read the overview of workspace '" + ws + "'",
            m ->
                new Read(
                    hours(m, ws, since),
                    m.selectRunsInStates(ws, ACTIVE, Overview.MAX_LISTED),
                    m.countRunsInStates(ws, ACTIVE),
                    m.selectFailedSince(ws, failedSince, Overview.MAX_LISTED),
                    m.countFailedSince(ws, failedSince),
                    m.countReadyByPriority(ws),
                    m.selectLiveWorkers().size(),
                    m.selectSchedules(ws, null)));
    Map<Integer, Integer> ready = new HashMap<>();
    r.ready().forEach(c -> ready.merge((int) -c.bucket, c.count, Integer::sum));
    return new Overview(
        Instant.ofEpochMilli(now),
        buckets(r.hours(), since),
        runs(r.running()),
        r.runningCount(),
        runs(r.failures()),
        r.failureCount(),
        ready.values().stream().mapToInt(Integer::intValue).sum(),
        ready,
        r.live(),
        lagging(r.schedules(), scheduleNow.getAsLong()));
  }

  /** Counts by hour, from the first run created since {@code since} (found by its id). */
  private static List<GroupCount> hours(StoreMapper m, String ws, long since) {
    Long before = m.selectLastRunIdBefore(since);
    return m.countRunsByHour(ws, before == null ? 0 : before, since);
  }

  private static List<HourCounts> buckets(List<GroupCount> counts, long since) {
    List<Map<RunState, Integer>> hours = new ArrayList<>();
    for (int i = 0; i < HOURS; i++) {
      hours.add(new EnumMap<>(RunState.class));
    }
    for (GroupCount c : counts) {
      // a run stamped ahead of this clock (skew between instances) is counted in the last hour
      int i = (int) Math.min(HOURS - 1, Math.max(0, c.bucket));
      hours.get(i).merge(c.state, c.count, Integer::sum);
    }
    List<HourCounts> out = new ArrayList<>();
    for (int i = 0; i < HOURS; i++) {
      out.add(new HourCounts(Instant.ofEpochMilli(since + i * HOUR), hours.get(i)));
    }
    return out;
  }

  private static List<WorkflowRun> runs(List<RunRow> rows) {
    return rows.stream().map(ApiMapping::toRun).toList();
  }

  private static List<ScheduleLag> lagging(List<ScheduleRow> schedules, long now) {
    long threshold = Overview.LAG_THRESHOLD.toMillis();
    return schedules.stream()
        .filter(s -> !s.paused && s.nextFireAt != null && now - s.nextFireAt > threshold)
        .map(
            s ->
                new ScheduleLag(
                    s.name,
                    s.flowName,
                    Instant.ofEpochMilli(s.nextFireAt),
                    Duration.ofMillis(now - s.nextFireAt),
                    Optional.ofNullable(s.quarantine)))
        .sorted(Comparator.comparing(ScheduleLag::lag).reversed())
        .toList();
  }
}
