package io.flinkplatform.engine.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.ChildInstance;
import io.flinkplatform.engine.testing.Sql;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.engine.testing.TestTasks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * An owner frozen (SIGSTOP) for longer than its lease while another instance takes its attempts
 * over, then thawed (SIGCONT): it must commit nothing any more and stop the work it still holds.
 * Two variants: frozen between two of its transactions, and frozen inside one (its rows locked by a
 * transaction that neither commits nor rolls back while it is frozen).
 */
@Tag("chaos")
class StaleOwnerTest {
  private static final List<String> WORKERS = List.of("p1", "p2", "p3", "p4");
  private static final List<String> HELD = List.of("p1", "p2", "p3", "p4", "ext");

  /**
   * Ticks of 100 ms each progress task does: about 20 s of work on whichever instance runs it, so
   * the survivor still works on them when the frozen owner thaws.
   */
  private static final int TICKS = 200;

  /**
   * The external task's timeout. The frozen owner's deadline passes while it is frozen, so at
   * SIGCONT its timeout fires for work that is no longer its own; the survivor's deadline counts
   * from its own claim, at least 5 s later, so the survivor sees the process end in time.
   */
  private static final int EXT_TIMEOUT_SECONDS = 35;

  /** How long the external process lives: past SIGCONT, so the thawed owner still polls it. */
  private static final int PROCESS_SECONDS = EXT_TIMEOUT_SECONDS + 3;

  /** Freezing starts this long after the process started (the survivor claims 5 s after it). */
  private static final long STOP_AFTER_MILLIS = 3000;

  /**
   * Freezing at the wanted moment (inside or between transactions) must succeed this long after the
   * process started, so that the survivor's deadline, counted from its claim, still comes after the
   * process ends, and the process is still running when the frozen owner thaws.
   */
  private static final long FROZEN_BY_MILLIS = 22_000;

  private static final Duration FREEZE = Duration.ofSeconds(6);

  /** How soon after SIGCONT the stale work must have stopped: the lease, eight heartbeats. */
  private static final long STOP_BOUND_MILLIS = 2000;

  @Test
  void ownerFrozenBetweenTransactionsCommitsNothingAfterItThawsAndStopsItsStaleWork()
      throws Exception {
    frozenOwner(false);
  }

  @Test
  void ownerFrozenInsideATransactionDoesNotBlockTheTakeOver() throws Exception {
    frozenOwner(true);
  }

  private void frozenOwner(boolean insideTransaction) throws Exception {
    try (TestPlatforms platforms = new TestPlatforms()) {
      PlatformClient reader = platforms.start("reader", b -> b.workerThreads(0)).client();
      DataSource ds = platforms.dataSource();
      Sql.update(ds, TestTasks.Progress.TABLE);
      String name = insideTransaction ? "frozen-in-tx" : "frozen";
      Process child =
          ChildInstance.launch(
              platforms.jdbcUrl(), name, "lease=2000", "heartbeat=250", "threads=8");
      long childPid = child.pid();
      long myPid = ProcessHandle.current().pid();
      try {
        Workflow.Builder wf = Workflow.builder("stale");
        for (String p : WORKERS) {
          wf.task(p, "progress", t -> t.option("url", platforms.jdbcUrl()).option("ticks", TICKS));
        }
        wf.task(
            "ext",
            "process",
            t ->
                t.option("seconds", PROCESS_SECONDS)
                    .option("stamp", true)
                    // a reference stored every 20 ms: freezes often land in such a transaction
                    .option("pollMillis", 20)
                    .timeout(Duration.ofSeconds(EXT_TIMEOUT_SECONDS)));
        wf.task("after", "noop", t -> t.after(HELD.toArray(String[]::new)));
        reader.deploy(wf.build());
        long run = reader.trigger("stale");

        // the child holds all five attempts and its work shows in the side table
        Await.until(
            Duration.ofSeconds(60),
            () -> {
              Map<String, TaskAttempt> m = byTask(reader, run);
              return HELD.stream()
                      .allMatch(
                          t ->
                              m.containsKey(t)
                                  && m.get(t).state() == TaskState.RUNNING
                                  && m.get(t).owner().orElse("").startsWith(name + "#"))
                  && poller(m.get("ext")) == childPid
                  && Sql.single(
                          ds,
                          "SELECT COUNT(DISTINCT task_id) FROM t_test_progress WHERE pid = "
                              + childPid)
                      == WORKERS.size();
            });
        Map<String, TaskAttempt> frozen = byTask(reader, run);
        String frozenRef = frozen.get("ext").externalRef().orElseThrow();
        Instant processStarted = Instant.parse(attributes(frozenRef).get("started"));
        sleepUntil(processStarted.plusMillis(STOP_AFTER_MILLIS));

        List<Long> ids = HELD.stream().map(t -> frozen.get(t).id()).toList();
        int tries =
            freeze(
                childPid, ds, ids, insideTransaction, processStarted.plusMillis(FROZEN_BY_MILLIS));
        long stoppedAt = System.nanoTime();
        long dbStoppedAt = dbNow(ds);
        platforms.start("survivor");

        // the survivor takes every attempt over with a new epoch; the process is re-attached
        awaitOrExplain(
            ds,
            () -> {
              Map<String, TaskAttempt> m = byTask(reader, run);
              return HELD.stream()
                      .allMatch(
                          t ->
                              m.get(t).state() == TaskState.RUNNING
                                  && m.get(t).owner().orElse("").startsWith("survivor#")
                                  && m.get(t).epoch() > frozen.get(t).epoch())
                  && poller(m.get("ext")) == myPid;
            });
        long takeOverMillis = (System.nanoTime() - stoppedAt) / 1_000_000;
        // thaw once the freeze lasted long enough and the frozen owner's deadline of "ext" passed
        Thread.sleep(Math.max(0, FREEZE.toMillis() - takeOverMillis));
        sleepUntil(processStarted.plusSeconds(EXT_TIMEOUT_SECONDS + 1));
        Map<String, TaskAttempt> taken = byTask(reader, run);
        long dbContAt = dbNow(ds);
        signal("CONT", childPid);
        long frozenMillis = (System.nanoTime() - stoppedAt) / 1_000_000;

        assertThat(reader.awaitRun(run, Duration.ofSeconds(90)).state())
            .isEqualTo(RunState.SUCCESS);
        // give a thawed instance that did not stop every chance to show it
        Thread.sleep(1000);

        // 1. the final attempt rows are the survivor's: one attempt, one SUCCESS per task
        List<TaskAttempt> attempts = reader.attempts(run);
        assertThat(attempts).hasSize(HELD.size() + 1);
        assertThat(attempts).allMatch(a -> a.state() == TaskState.SUCCESS && a.attempt() == 1);
        Map<String, TaskAttempt> done = byTask(reader, run);
        for (String t : HELD) {
          assertThat(done.get(t).owner().orElseThrow()).as(t).startsWith("survivor#");
          assertThat(done.get(t).epoch()).as(t).isEqualTo(taken.get(t).epoch());
        }

        // 2. the external process was re-attached, not submitted again, and not stopped early;
        // the reference the survivor stored last stands (the thawed owner's writes were fenced)
        TaskAttempt ext = done.get("ext");
        assertThat(TestTasks.Process.SUBMISSIONS).doesNotContainKey(ext.id());
        assertThat(reader.log(ext)).contains("re-attached to external work");
        Map<String, String> first = attributes(frozenRef);
        Map<String, String> last = attributes(ext.externalRef().orElseThrow());
        assertThat(last.get("id")).isEqualTo(first.get("id"));
        assertThat(last.get("started")).isEqualTo(first.get("started"));
        assertThat(last.get("poller")).isEqualTo(Long.toString(myPid));
        assertThat(ext.endedAt().orElseThrow())
            .as("the process ran its whole %s s", PROCESS_SECONDS)
            .isAfterOrEqualTo(processStarted.plusSeconds(PROCESS_SECONDS - 1));

        // 3. frozen means frozen: the child wrote nothing while stopped
        assertThat(
                Sql.single(
                    ds,
                    "SELECT COUNT(*) FROM t_test_progress WHERE pid = "
                        + childPid
                        + " AND at_ms > "
                        + (dbStoppedAt + 500)
                        + " AND at_ms < "
                        + dbContAt))
            .isZero();

        // 4. after SIGCONT the stale work (old epochs only) stops within the bound, and the
        // survivor's epochs never appear in the child's rows
        long staleRows =
            Sql.single(
                ds,
                "SELECT COUNT(*) FROM t_test_progress WHERE pid = "
                    + childPid
                    + " AND at_ms >= "
                    + dbContAt);
        long lastStale =
            Sql.single(
                ds, "SELECT COALESCE(MAX(at_ms), 0) FROM t_test_progress WHERE pid = " + childPid);
        long stopMillis = Math.max(0, lastStale - dbContAt);
        long childEpochMax =
            Sql.single(ds, "SELECT MAX(epoch) FROM t_test_progress WHERE pid = " + childPid);
        for (String t : WORKERS) {
          assertThat(childEpochMax).isLessThan(taken.get(t).epoch());
        }
        long survivorRows =
            Sql.single(ds, "SELECT COUNT(*) FROM t_test_progress WHERE pid = " + myPid);
        assertThat(survivorRows)
            .as("the survivor did the work")
            .isGreaterThanOrEqualTo((long) WORKERS.size() * TICKS);
        System.out.printf(
            "stale owner (frozen %s, after %d freeze(s)): taken over %d ms after"
                + " SIGSTOP, frozen %d ms; after SIGCONT %d stale progress row(s), the last %d ms"
                + " after SIGCONT; survivor rows %d%n",
            insideTransaction ? "inside a transaction" : "between transactions",
            tries,
            takeOverMillis,
            frozenMillis,
            staleRows,
            stopMillis,
            survivorRows);
        assertThat(stopMillis)
            .as("stale work stops within %d ms of SIGCONT", STOP_BOUND_MILLIS)
            .isLessThanOrEqualTo(STOP_BOUND_MILLIS);

        // 5. the thawed instance saw that it lost its claims (or, when its frozen transaction was
        // ended under it, that it could not renew them; or, for "ext", that its claim was gone
        // when its timeout fired) and says so for each attempt
        Path log = Path.of("target", "instances", name + ".log");
        String childLog = Files.readString(log);
        for (String t : HELD) {
          assertThat(childLog)
              .containsPattern(
                  "task '"
                      + t
                      + "' attempt 1 (lost its claim"
                      + "|stopped here: this instance could not renew"
                      + "|timed out, but its claim \\(epoch \\d+\\) is no longer valid)");
        }

        // 6. and it is a healthy instance again: it stops gracefully with nothing to hand back
        assertThat(ChildInstance.stop(child, Duration.ofSeconds(30))).isNotNegative();
        // its output reaches the log file through a reader thread: wait for the last line
        Await.until(() -> read(log).contains("STOPPED"));
        assertThat(read(log)).doesNotContain("handing back");
        Map<String, TaskAttempt> after = byTask(reader, run);
        assertThat(after.values()).allMatch(a -> a.state() == TaskState.SUCCESS);
      } finally {
        if (child.isAlive()) {
          signal("CONT", childPid);
        }
        child.destroyForcibly().waitFor();
      }
    }
  }

  private static Map<String, TaskAttempt> byTask(PlatformClient c, long run) {
    return c.attempts(run).stream()
        .collect(Collectors.toMap(TaskAttempt::taskId, Function.identity(), (x, y) -> y));
  }

  /** The pid of the JVM that stored the attempt's external reference last, or -1. */
  private static long poller(TaskAttempt a) {
    if (a == null || a.externalRef().isEmpty()) {
      return -1;
    }
    String p = attributes(a.externalRef().get()).get("poller");
    return p == null ? -1 : Long.parseLong(p);
  }

  /** The id and attributes of a stored reference (JSON of flat strings). */
  private static Map<String, String> attributes(String json) {
    Map<String, String> out = new java.util.HashMap<>();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\"([^\"]+)\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
    while (m.find()) {
      out.put(m.group(1), m.group(2));
    }
    return out;
  }

  /**
   * Freezes the child (SIGSTOP) at a moment when it holds an open transaction on some of the
   * attempt rows, or when it holds none: stops it, looks whether the rows can be locked, and if
   * that is not the wanted case lets it run for a few milliseconds (its overdue heartbeat and polls
   * start at once) and stops it again. Returns the tries.
   */
  private static int freeze(
      long pid, DataSource ds, List<Long> ids, boolean insideTransaction, Instant by)
      throws Exception {
    signal("STOP", pid);
    int i = 0;
    while (Instant.now().isBefore(by)) {
      i++;
      Thread.sleep(60); // statements the child sent before it stopped are done meanwhile
      boolean locked = lockable(ds, ids) < ids.size();
      if (locked == insideTransaction) {
        return i;
      }
      Process slice =
          new ProcessBuilder(
                  "bash",
                  "-c",
                  String.format(
                      "kill -CONT %d; sleep 0.%03d; kill -STOP %d", pid, 1 + (i * 7) % 12, pid))
              .start();
      assertThat(slice.waitFor()).isZero();
    }
    signal("CONT", pid);
    throw new AssertionError(
        "could not freeze the child "
            + (insideTransaction ? "inside a transaction" : "between transactions")
            + " in "
            + i
            + " tries");
  }

  /** How many of the rows the test can lock now: the others are locked by an open transaction. */
  private static int lockable(DataSource ds, List<Long> ids) throws SQLException {
    String in = ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT id FROM t_job_run WHERE id IN (" + in + ") FOR UPDATE SKIP LOCKED")) {
        int n = 0;
        while (rs.next()) {
          n++;
        }
        return n;
      } finally {
        c.rollback();
        c.setAutoCommit(true);
      }
    }
  }

  /** Waits a minute for the take-over; if it does not come, says what holds the rows. */
  private static void awaitOrExplain(DataSource ds, java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    try {
      Await.until(Duration.ofSeconds(60), condition);
    } catch (AssertionError e) {
      throw new AssertionError(
          "no take-over: "
              + e.getMessage()
              + table(
                  ds,
                  "SELECT id, task_id, state, owner, epoch, lease_until,"
                      + " ROUND(UNIX_TIMESTAMP(NOW(3)) * 1000) AS db_now FROM t_job_run")
              + table(
                  ds,
                  "SELECT trx_id, trx_state, trx_started, trx_mysql_thread_id, trx_query,"
                      + " trx_rows_locked, trx_rows_modified FROM information_schema.INNODB_TRX")
              + table(
                  ds, "SELECT id, command, time, state, info FROM information_schema.PROCESSLIST"),
          e);
    }
  }

  private static String table(DataSource ds, String sql) {
    StringBuilder b = new StringBuilder("\n").append(sql);
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        b.append("\n ");
        for (int i = 1; i <= n; i++) {
          b.append(" | ").append(rs.getString(i));
        }
      }
    } catch (SQLException e) {
      b.append("\n  ").append(e);
    }
    return b.toString();
  }

  private static void sleepUntil(Instant t) throws InterruptedException {
    Thread.sleep(Math.max(0, t.toEpochMilli() - System.currentTimeMillis()));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void signal(String signal, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
    assertThat(kill.waitFor()).as("kill -%s %d", signal, pid).isZero();
  }

  private static long dbNow(DataSource ds) {
    return Sql.single(ds, "SELECT ROUND(UNIX_TIMESTAMP(NOW(3)) * 1000)");
  }
}
