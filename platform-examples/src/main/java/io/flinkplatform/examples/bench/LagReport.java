package io.flinkplatform.examples.bench;

import io.flinkplatform.examples.EmbeddedDatabase;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the cron fire-lag benchmark found in the database: for each scheduled run, its nominal fire
 * time, when the run was created and when its task was claimed; every fire time the crons asked for
 * inside the window that has no run; and fire times with more than one run.
 */
record LagReport(
    int schedules,
    int expected,
    int runs,
    int missed,
    int duplicates,
    long[] createdLag,
    long[] taskLag,
    Map<String, Integer> tasksByInstance) {

  static LagReport read(EmbeddedDatabase db, long startAt, long endAt) throws Exception {
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      Map<Long, Integer> second = new HashMap<>();
      try (ResultSet rs = s.executeQuery("SELECT id, cron FROM t_schedule")) {
        while (rs.next()) {
          second.put(rs.getLong(1), Integer.parseInt(rs.getString(2).split(" ")[0]));
        }
      }
      int expected = 0;
      Set<String> wanted = new HashSet<>();
      for (Map.Entry<Long, Integer> e : second.entrySet()) {
        long first = startAt - Math.floorMod(startAt, 60_000) + e.getValue() * 1000L;
        for (long t = first; t <= endAt; t += 60_000) {
          if (t >= startAt) {
            wanted.add(e.getKey() + "@" + t);
            expected++;
          }
        }
      }
      long[] created = new long[wanted.size() * 2];
      long[] task = new long[wanted.size() * 2];
      int n = 0;
      int m = 0;
      Map<String, Integer> seen = new HashMap<>();
      Map<String, Integer> byInstance = new TreeMap<>();
      try (ResultSet rs =
          s.executeQuery(
              "SELECT r.schedule_id, r.fire_time, r.created_at, a.started_at, a.owner"
                  + " FROM t_job_flow_run r LEFT JOIN t_job_run a"
                  + " ON a.flow_run_id = r.id AND a.attempt = 1"
                  + " WHERE r.schedule_id IS NOT NULL")) {
        while (rs.next()) {
          String key = rs.getLong(1) + "@" + rs.getLong(2);
          seen.merge(key, 1, Integer::sum);
          if (n == created.length) {
            created = Arrays.copyOf(created, n * 2);
          }
          created[n++] = rs.getLong(3) - rs.getLong(2);
          long started = rs.getLong(4);
          if (!rs.wasNull()) {
            if (m == task.length) {
              task = Arrays.copyOf(task, m * 2);
            }
            task[m++] = started - rs.getLong(2);
            String owner = rs.getString(5);
            byInstance.merge(owner == null ? "?" : owner.replaceFirst("#.*", ""), 1, Integer::sum);
          }
        }
      }
      int missed = 0;
      for (String k : wanted) {
        if (!seen.containsKey(k)) {
          missed++;
        }
      }
      int duplicates = seen.values().stream().mapToInt(v -> v - 1).sum();
      long[] cl = Arrays.copyOf(created, n);
      long[] tl = Arrays.copyOf(task, m);
      Arrays.sort(cl);
      Arrays.sort(tl);
      return new LagReport(second.size(), expected, n, missed, duplicates, cl, tl, byInstance);
    }
  }

  void print(PrintStream out) {
    out.printf(
        "schedules %d, fire times in the window %d, scheduled runs %d, missed %d, duplicates %d%n",
        schedules, expected, runs, missed, duplicates);
    out.printf("lag fire time -> run created (ms): %s%n", stats(createdLag));
    out.printf("lag fire time -> task claimed (ms): %s%n", stats(taskLag));
    out.printf("tasks claimed per instance: %s%n", tasksByInstance);
  }

  private static String stats(long[] sorted) {
    if (sorted.length == 0) {
      return "no samples";
    }
    return String.format(
        "p50 %d, p90 %d, p99 %d, p99.9 %d, max %d (%d samples)",
        pct(sorted, 0.50),
        pct(sorted, 0.90),
        pct(sorted, 0.99),
        pct(sorted, 0.999),
        sorted[sorted.length - 1],
        sorted.length);
  }

  private static long pct(long[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }
}
