package io.flinkplatform.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.schedule.OverlapPolicy;
import io.flinkplatform.engine.schedule.ScheduleSpec;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.ChildInstance;
import io.flinkplatform.engine.testing.Sql;
import io.flinkplatform.engine.testing.TestPlatforms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Three instances in their own JVMs, with skewed clocks, fire 500 schedules every second for a
 * minute on one database: every fire time of the window makes exactly one run.
 */
@Tag("chaos")
class ExactlyOnceFiringTest {
  private static final int SCHEDULES = 500;
  private static final int SECONDS = 60;

  /** Instance name and its clock offset in ms; the offsets tell the firing instances apart. */
  private static final Map<String, Long> INSTANCES =
      new LinkedHashMap<>(Map.of("fire-a", 0L, "fire-b", 2000L, "fire-c", -1500L));

  @Test
  void everyFireTimeMakesExactlyOneRunAcrossSkewedInstances() throws Exception {
    List<Process> children = new ArrayList<>();
    try (TestPlatforms platforms = new TestPlatforms()) {
      DataSource ds = platforms.dataSource();
      // the schedules are saved by an instance that stops before the first fire time, so that
      // only the three skewed instances fire
      Platform setup = platforms.start("setup", b -> b.workerThreads(0));
      PlatformClient client = setup.client();
      client.deploy(Workflow.builder("tick").task("t", "noop", t -> {}).build());
      long first = (System.currentTimeMillis() / 1000 + 35) * 1000;
      long last = first + (SECONDS - 1) * 1000L;
      for (int i = 0; i < SCHEDULES; i++) {
        client.saveSchedule(
            ScheduleSpec.builder(String.format("every-second-%03d", i), "tick", "* * * * * ?")
                .startAt(Instant.ofEpochMilli(first))
                .endAt(Instant.ofEpochMilli(last))
                .overlap(OverlapPolicy.allow(10))
                .build());
      }
      // who fired, and when by the database's clock: a trigger records each insert with the
      // inserting session's @fp_instance (set by the instance's JDBC URL) and the database time
      Sql.update(
          ds,
          "CREATE TABLE t_test_fired (run_id BIGINT NOT NULL PRIMARY KEY, schedule_id BIGINT,"
              + " fire_time BIGINT, created_at BIGINT NOT NULL, seen_at BIGINT NOT NULL,"
              + " instance INT NULL)");
      Sql.update(
          ds,
          "CREATE TRIGGER trg_test_fired AFTER INSERT ON t_job_flow_run FOR EACH ROW"
              + " INSERT INTO t_test_fired VALUES (NEW.id, NEW.schedule_id, NEW.fire_time,"
              + " NEW.created_at, FLOOR(TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00',"
              + " UTC_TIMESTAMP(3)) / 1000), @fp_instance)");
      setup.stop();

      ExecutorService launcher = Executors.newFixedThreadPool(INSTANCES.size());
      List<Future<Process>> launched = new ArrayList<>();
      List<String> names = List.copyOf(INSTANCES.keySet());
      INSTANCES.forEach(
          (name, offset) ->
              launched.add(
                  launcher.submit(
                      () ->
                          ChildInstance.launch(
                              platforms.jdbcUrl()
                                  + "&sessionVariables=%40fp_instance%3D"
                                  + names.indexOf(name),
                              name,
                              "lease=2000",
                              "heartbeat=250",
                              "poll=100",
                              "threads=16",
                              // Flyway would reset @fp_instance on the connection it used
                              "schema=none",
                              "clockOffset=" + offset))));
      for (Future<Process> f : launched) {
        children.add(f.get());
      }
      launcher.shutdown();
      long startedBy = System.currentTimeMillis();
      System.out.printf("instances up %d ms before the first fire time%n", first - startedBy);
      assertThat(startedBy).as("all instances run before the window opens").isLessThan(first);

      // the window, then until every run ended (bounded)
      Thread.sleep(Math.max(0, last + 1000 - System.currentTimeMillis()));
      long expected = (long) SCHEDULES * SECONDS;
      long windowEnd = System.nanoTime();
      try {
        Await.until(
            Duration.ofSeconds(75),
            () ->
                Sql.single(ds, "SELECT COUNT(*) FROM t_job_flow_run WHERE state = 'SUCCESS'")
                    == expected);
      } catch (AssertionError e) {
        System.out.println("not all runs ended within 75 s of the window: " + e.getMessage());
      }
      long drainMillis = (System.nanoTime() - windowEnd) / 1_000_000;

      // exactly once: one run per (schedule, fire time), all fire times of the window, no others
      long runs = Sql.single(ds, "SELECT COUNT(*) FROM t_job_flow_run");
      long distinct =
          Sql.single(
              ds,
              "SELECT COUNT(*) FROM (SELECT DISTINCT schedule_id, fire_time"
                  + " FROM t_job_flow_run) d");
      long duplicates =
          Sql.single(
              ds,
              "SELECT COUNT(*) FROM (SELECT schedule_id, fire_time FROM t_job_flow_run"
                  + " GROUP BY schedule_id, fire_time HAVING COUNT(*) > 1) d");
      long outside =
          Sql.single(
              ds,
              "SELECT COUNT(*) FROM t_job_flow_run WHERE schedule_id IS NULL OR fire_time < "
                  + first
                  + " OR fire_time > "
                  + last
                  + " OR MOD(fire_time - "
                  + first
                  + ", 1000) <> 0");
      long fullSchedules =
          Sql.single(
              ds,
              "SELECT COUNT(*) FROM (SELECT schedule_id FROM t_job_flow_run GROUP BY schedule_id"
                  + " HAVING COUNT(*) = "
                  + SECONDS
                  + " AND MIN(fire_time) = "
                  + first
                  + " AND MAX(fire_time) = "
                  + last
                  + ") d");
      long succeeded =
          Sql.single(ds, "SELECT COUNT(*) FROM t_job_flow_run WHERE state = 'SUCCESS'");
      long skipped = Sql.single(ds, "SELECT COUNT(*) FROM t_schedule WHERE last_skip IS NOT NULL");

      // which instance fired (the session variable), and the lag by the database's clock
      Map<String, long[]> firedBy = new TreeMap<>();
      Map<String, List<Long>> lags = new TreeMap<>();
      Map<String, List<Long>> createdSkew = new TreeMap<>();
      try (Connection c = ds.getConnection();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery("SELECT instance, seen_at, fire_time, created_at FROM t_test_fired")) {
        while (rs.next()) {
          int i = rs.getInt(1);
          String who = rs.wasNull() ? "unknown" : names.get(i);
          firedBy.computeIfAbsent(who, k -> new long[1])[0]++;
          lags.computeIfAbsent(who, k -> new ArrayList<>()).add(rs.getLong(2) - rs.getLong(3));
          createdSkew
              .computeIfAbsent(who, k -> new ArrayList<>())
              .add(rs.getLong(4) - rs.getLong(2));
        }
      }
      Map<String, Long> ranBy = new TreeMap<>();
      try (Connection c = ds.getConnection();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT SUBSTRING_INDEX(owner, '#', 1), COUNT(*) FROM t_job_run"
                      + " WHERE state = 'SUCCESS' GROUP BY 1")) {
        while (rs.next()) {
          ranBy.put(rs.getString(1), rs.getLong(2));
        }
      }
      long reclaimed = Sql.single(ds, "SELECT COUNT(*) FROM t_job_run WHERE epoch >= 2");
      long attempts = Sql.single(ds, "SELECT COUNT(*) FROM t_job_run");
      long retried = Sql.single(ds, "SELECT COUNT(*) FROM t_job_run WHERE attempt >= 2");

      StringBuilder report = new StringBuilder();
      report.append(
          String.format(
              "exactly-once firing: %d schedules x %d s = %d fire times; runs %d, distinct %d,"
                  + " duplicates %d, outside the window %d, complete schedules %d, skips %d;"
                  + " SUCCESS %d (drained %d ms after the window)%n",
              SCHEDULES,
              SECONDS,
              expected,
              runs,
              distinct,
              duplicates,
              outside,
              fullSchedules,
              skipped,
              succeeded,
              drainMillis));
      firedBy.forEach(
          (who, n) -> {
            List<Long> l = lags.get(who);
            l.sort(null);
            List<Long> k = createdSkew.get(who);
            k.sort(null);
            report.append(
                String.format(
                    "  fired by %s (clock %+d ms): %d runs; lag fire time -> insert by the"
                        + " database's clock p50 %d / p99 %d / min %d / max %d ms; created_at -"
                        + " database time p50 %d ms%n",
                    who,
                    INSTANCES.getOrDefault(who, 0L),
                    n[0],
                    pct(l, 50),
                    pct(l, 99),
                    l.get(0),
                    l.get(l.size() - 1),
                    pct(k, 50)));
          });
      report.append(
          String.format(
              "  tasks run by instance: %s; attempts %d, with epoch >= 2 (re-queued after a"
                  + " lease lapsed) %d, retries %d%n",
              ranBy, attempts, reclaimed, retried));
      for (String name : INSTANCES.keySet()) {
        String log = Files.readString(Path.of("target", "instances", name + ".log"));
        report.append(
            String.format(
                "  %s log: %d re-queue line(s), %d lost-claim line(s), %d rejected outcome(s),"
                    + " %d ERROR line(s)%n",
                name,
                count(log, "re-queued run"),
                count(log, "lost its claim"),
                count(log, "rejected the outcome"),
                count(log, " ERROR ")));
      }
      System.out.print(report);

      assertThat(duplicates).as("fire times with more than one run").isZero();
      assertThat(outside).as("runs outside the window").isZero();
      assertThat(runs).as("one run per fire time").isEqualTo(expected);
      assertThat(distinct).isEqualTo(expected);
      assertThat(fullSchedules)
          .as("schedules with all %d fire times", SECONDS)
          .isEqualTo(SCHEDULES);
      assertThat(firedBy.values().stream().mapToLong(n -> n[0]).sum())
          .as("inserts seen by the trigger (none rolled back into a duplicate)")
          .isEqualTo(expected);
      assertThat(lags.values().stream().flatMap(List::stream).mapToLong(x -> x).min().orElse(0))
          .as("no run is created before its fire time on the database's clock")
          .isNotNegative();
      assertThat(succeeded).as("runs that ended SUCCESS").isEqualTo(expected);
      // a re-queued attempt may have run twice, but only one outcome per run was committed
      assertThat(attempts).as("attempt rows").isEqualTo(expected);
      assertThat(Sql.single(ds, "SELECT COUNT(*) FROM t_job_run WHERE state = 'SUCCESS'"))
          .isEqualTo(expected);
    } finally {
      for (Process p : children) {
        p.destroyForcibly().waitFor();
      }
    }
  }

  private static long pct(List<Long> sorted, int p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * p / 100.0) - 1));
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}
