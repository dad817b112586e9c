package io.flinkplatform.engine.internal.query;

import io.flinkplatform.engine.internal.store.GroupCount;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.internal.store.WorkerRow;
import io.flinkplatform.engine.internal.store.WorkerState;
import io.flinkplatform.engine.run.InstanceInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The platform's instances from their rows in t_worker: live, lost or stopped by the database's
 * clock (the one their leases are kept on), with the attempts each holds RUNNING.
 */
public final class InstanceReads {
  private final Store store;
  private final Clock clock;

  public InstanceReads(Store store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  private record Snapshot(long dbNow, List<WorkerRow> workers, List<GroupCount> running) {}

  /** The live instances, and those whose lease ended less than {@link InstanceInfo#RECENT} ago. */
  public List<InstanceInfo> instances() {
    Snapshot s =
        store.tx(
            "read the instances",
            m -> {
              long dbNow = m.selectDatabaseMillis();
              return new Snapshot(
                  dbNow,
                  m.selectRecentWorkers(dbNow - InstanceInfo.RECENT.toMillis()),
                  m.countRunningByOwner());
            });
    Map<String, Integer> running =
        s.running().stream()
            .filter(c -> c.owner != null)
            .collect(Collectors.toMap(c -> c.owner, c -> c.count));
    long now = clock.millis();
    return s.workers().stream()
        .map(
            w ->
                new InstanceInfo(
                    w.name,
                    w.instanceName,
                    w.host,
                    w.pid,
                    w.version,
                    state(w, s.dbNow()),
                    Instant.ofEpochMilli(w.startedAt),
                    Instant.ofEpochMilli(w.heartbeatAt),
                    Duration.ofMillis(Math.max(0, now - w.heartbeatAt)),
                    csv(w.labels),
                    csv(w.taskTypes),
                    running.getOrDefault(w.name, 0)))
        .toList();
  }

  private static InstanceInfo.State state(WorkerRow w, long dbNow) {
    if (w.state == WorkerState.STOPPED) {
      return InstanceInfo.State.STOPPED;
    }
    return w.leaseUntil > dbNow ? InstanceInfo.State.LIVE : InstanceInfo.State.LOST;
  }

  private static List<String> csv(String s) {
    return s == null || s.isEmpty()
        ? List.of()
        : Arrays.stream(s.split(",")).filter(x -> !x.isEmpty()).sorted().distinct().toList();
  }
}
