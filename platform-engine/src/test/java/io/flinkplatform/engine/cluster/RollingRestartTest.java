package io.flinkplatform.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.WorkflowRun;
import io.flinkplatform.engine.schedule.OverlapPolicy;
import io.flinkplatform.engine.schedule.ScheduleSpec;
import io.flinkplatform.engine.testing.ChildInstance;
import io.flinkplatform.engine.testing.IntervalRecorder;
import io.flinkplatform.engine.testing.IntervalRecorder.Execution;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.engine.testing.TestTasks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Three instances in child JVMs, with the platform's default timings, run a steady stream of runs
 * (triggered by the test, and by a schedule firing every second) while each instance in turn is
 * stopped gracefully (SIGTERM, so {@code Platform.stop()}) and replaced by a new one. Nothing is
 * lost or run twice, no task waits for a lease to lapse, and every fire time of the schedule's
 * window starts exactly one run.
 */
@Tag("chaos")
class RollingRestartTest {
  private static final int WIDTH = 4;
  private static final int LONG_MILLIS = 25_000;
  private static final List<String> NODES = List.of("node-1", "node-2", "node-3");

  @Test
  void rollingRestartLosesNothingAndMissesNoFireTime() throws Exception {
    List<Process> all = new CopyOnWriteArrayList<>();
    AtomicBoolean streaming = new AtomicBoolean(true);
    Thread stream = null;
    long began = System.currentTimeMillis();
    try (TestPlatforms platforms = new TestPlatforms()) {
      String url = platforms.jdbcUrl();
      PlatformClient client = platforms.start("driver", b -> b.workerThreads(0)).client();
      IntervalRecorder.createTable(platforms.dataSource());
      Workflow dag = ClusterChecks.fanOutFanIn("roll_dag", WIDTH, url);
      Set<String> dagTasks = dag.tasks().stream().map(t -> t.id()).collect(Collectors.toSet());
      client.deploy(dag);
      Workflow tick =
          Workflow.builder("tick")
              .parameter(TestTasks.Interval.URL, url)
              .task("a", "interval")
              .task("b", "interval", t -> t.after("a"))
              .task("c", "interval", t -> t.after("a"))
              .task("d", "interval", t -> t.after("b", "c"))
              .build();
      Set<String> tickTasks = tick.tasks().stream().map(t -> t.id()).collect(Collectors.toSet());
      client.deploy(tick);
      // longer than the grace period: a stop cancels it and hands it back to run elsewhere. Each
      // instance and its replacement share a label, so the test places one on the instance it is
      // about to stop and the replacement (or nobody else) takes it over.
      for (String name : NODES) {
        client.deploy(
            Workflow.builder("roll_long_" + slot(name))
                .parameter(TestTasks.Interval.URL, url)
                .task("long", "interval", t -> t.option("millis", LONG_MILLIS).label(slot(name)))
                .build());
      }

      Map<String, Process> live = new HashMap<>();
      for (String name : NODES) {
        Process p =
            ChildInstance.launch(url, name, ChildInstance.platformDefaults("labels=" + slot(name)));
        all.add(p);
        live.put(name, p);
      }
      Instant windowStart = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(2);
      Instant windowEnd = windowStart.plusSeconds(75);
      client.saveSchedule(
          ScheduleSpec.builder("every-second", "tick", "* * * * * ?")
              .startAt(windowStart)
              .endAt(windowEnd)
              .overlap(OverlapPolicy.allow(1000))
              .build());
      List<Long> triggered = new CopyOnWriteArrayList<>();
      List<Long> longRuns = new ArrayList<>();
      stream =
          new Thread(
              () -> {
                while (streaming.get() && Instant.now().isBefore(windowEnd)) {
                  triggered.add(client.trigger("roll_dag"));
                  try {
                    Thread.sleep(400);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "trigger-stream");
      stream.start();

      Thread.sleep(6_000);
      List<String> stopped = new ArrayList<>();
      for (String name : NODES) {
        // a task longer than the grace period runs there: the stop hands it back after the grace
        longRuns.add(client.trigger("roll_long_" + slot(name)));
        long until = System.currentTimeMillis() + 30_000;
        while (openLongExecutions(platforms, name) == 0) {
          assertThat(System.currentTimeMillis())
              .as("a long task running on %s", name)
              .isLessThan(until);
          Thread.sleep(100);
        }
        Process old = live.remove(name);
        long t0 = System.currentTimeMillis();
        old.destroy(); // SIGTERM: Platform.stop()
        assertThat(old.waitFor(60, TimeUnit.SECONDS)).as("%s stopped", name).isTrue();
        long t1 = System.currentTimeMillis();
        stopped.add(name);
        String replacement = name.replace("node", "node-gen2");
        Process p =
            ChildInstance.launch(
                url, replacement, ChildInstance.platformDefaults("labels=" + slot(name)));
        all.add(p);
        live.put(replacement, p);
        System.out.println(
            "rolling: "
                + name
                + " stopped gracefully in "
                + (t1 - t0)
                + " ms, "
                + replacement
                + " up "
                + (System.currentTimeMillis() - t1)
                + " ms later");
        Thread.sleep(4_000);
      }
      // on a slow machine the restarts can outlast the window; the stream has ended by then
      stream.join(Math.max(1, Duration.between(Instant.now(), windowEnd).toMillis() + 10_000));
      streaming.set(false);

      // every fire time of the window started exactly one run
      List<WorkflowRun> ticks = awaitTicks(client, windowStart, windowEnd);
      Map<Instant, Long> perFireTime =
          ticks.stream()
              .collect(Collectors.groupingBy(WorkflowRun::logicalDate, Collectors.counting()));
      Set<Instant> expected = new TreeSet<>();
      for (Instant t = windowStart; !t.isAfter(windowEnd); t = t.plusSeconds(1)) {
        expected.add(t);
      }
      assertThat(new TreeSet<>(perFireTime.keySet())).isEqualTo(expected);
      assertThat(perFireTime).allSatisfy((t, n) -> assertThat(n).as("runs at %s", t).isEqualTo(1));

      for (long run : triggered) {
        assertThat(client.awaitRun(run, Duration.ofMinutes(2)).state())
            .as("run %s", run)
            .isEqualTo(RunState.SUCCESS);
      }
      for (WorkflowRun t : ticks) {
        assertThat(client.awaitRun(t.id(), Duration.ofMinutes(2)).state())
            .as("tick run %s", t)
            .isEqualTo(RunState.SUCCESS);
      }
      for (long run : longRuns) {
        assertThat(client.awaitRun(run, Duration.ofMinutes(2)).state()).isEqualTo(RunState.SUCCESS);
      }
      long cancelledByStop =
          IntervalRecorder.all(platforms.dataSource()).stream()
              .filter(e -> stopped.contains(e.instance()) && e.taskId().equals("long"))
              .filter(e -> e.outcome().orElse("").equals("interrupted"))
              .count();
      assertThat(cancelledByStop)
          .as("long tasks cancelled and handed back by a stop")
          .isGreaterThanOrEqualTo(3);
      for (Process p : live.values()) {
        p.destroy();
      }
      for (Process p : all) {
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      }

      List<Execution> executions = IntervalRecorder.all(platforms.dataSource());
      assertThat(ClusterChecks.overlaps(executions, Map.of())).isEmpty();
      Map<Long, Map<Long, Execution>> byAttempt = ClusterChecks.byAttempt(executions);
      List<String> problems = new ArrayList<>();
      int tasks = 0;
      for (long run : triggered) {
        problems.addAll(ClusterChecks.exactlyOnce(client, run, dagTasks, byAttempt));
        tasks += dagTasks.size();
      }
      for (WorkflowRun t : ticks) {
        problems.addAll(ClusterChecks.exactlyOnce(client, t.id(), tickTasks, byAttempt));
        tasks += tickTasks.size();
      }
      for (long run : longRuns) {
        problems.addAll(ClusterChecks.exactlyOnce(client, run, Set.of("long"), byAttempt));
      }
      assertThat(problems).isEmpty();

      // every stop was graceful: the instance said so, marked itself stopped, and nothing it held
      // had to wait for its lease to lapse
      for (String name : stopped) {
        assertThat(Files.readString(Path.of("target", "instances", name + ".log")))
            .contains("[" + name + "] stopping")
            .contains("running attempt(s) after the grace period")
            .contains("STOPPED");
      }
      assertThat(workerStates(platforms))
          .containsOnlyKeys(allNames(stopped, live.keySet()))
          .allSatisfy((n, s) -> assertThat(s).as(n).isEqualTo("STOPPED"));
      for (String name : allNames(stopped, live.keySet())) {
        assertThat(Files.readString(Path.of("target", "instances", name + ".log")))
            .as("log of %s", name)
            .doesNotContain("lease of")
            .doesNotContain("lost its claim");
      }
      long handedBack =
          executions.stream().filter(e -> e.outcome().orElse("").equals("interrupted")).count();
      long reclaimed =
          triggered.stream()
              .flatMap(r -> client.attempts(r).stream())
              .filter(a -> a.epoch() >= 2)
              .count();
      System.out.println(
          "rolling: runs="
              + (triggered.size() + ticks.size() + longRuns.size())
              + " (triggered "
              + triggered.size()
              + ", scheduled "
              + ticks.size()
              + " = every second of "
              + windowStart
              + ".."
              + windowEnd
              + ", long "
              + longRuns.size()
              + "), tasks="
              + (tasks + longRuns.size())
              + ", executions="
              + executions.size()
              + ", executions cancelled by a stop="
              + handedBack
              + ", dag attempts claimed again after a hand-back="
              + reclaimed
              + ", long-task attempts: "
              + longRuns.stream()
                  .flatMap(r -> client.attempts(r).stream())
                  .map(a -> "epoch " + a.epoch())
                  .toList()
              + ", test "
              + (System.currentTimeMillis() - began)
              + " ms");
    } finally {
      streaming.set(false);
      if (stream != null) {
        stream.interrupt();
      }
      for (Process p : all) {
        p.destroyForcibly().waitFor();
      }
    }
  }

  private static List<WorkflowRun> awaitTicks(
      PlatformClient client, Instant windowStart, Instant windowEnd) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (true) {
      List<WorkflowRun> ticks = client.runs("tick", 10_000);
      boolean complete =
          ticks.stream().anyMatch(r -> !r.logicalDate().isBefore(windowEnd))
              && Instant.now().isAfter(windowEnd.plusSeconds(2));
      if (complete || System.nanoTime() > deadline) {
        return ticks;
      }
      Thread.sleep(200);
    }
  }

  /** Long tasks running on the instance. */
  private static long openLongExecutions(TestPlatforms platforms, String instance)
      throws Exception {
    return IntervalRecorder.all(platforms.dataSource()).stream()
        .filter(e -> e.instance().equals(instance) && e.taskId().equals("long"))
        .filter(e -> e.endedMs().isEmpty())
        .count();
  }

  /** The label an instance shares with its replacement. */
  private static String slot(String node) {
    return "slot-" + node.substring(node.lastIndexOf('-') + 1);
  }

  private static Set<String> allNames(List<String> stopped, Set<String> live) {
    Set<String> out = new TreeSet<>(stopped);
    out.addAll(live);
    return out;
  }

  private static Map<String, String> workerStates(TestPlatforms platforms) throws Exception {
    Map<String, String> out = new HashMap<>();
    try (Connection c = platforms.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery("SELECT instance_name, state FROM t_worker WHERE task_types <> ''")) {
      while (r.next()) {
        out.merge(r.getString(1), r.getString(2), (a, b) -> a.equals(b) ? a : a + "," + b);
      }
    }
    return out;
  }
}
