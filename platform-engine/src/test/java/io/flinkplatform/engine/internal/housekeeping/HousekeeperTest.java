package io.flinkplatform.engine.internal.housekeeping;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.flinkplatform.engine.SchemaMode;
import io.flinkplatform.engine.internal.store.Schema;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.internal.worker.LocalLogStore;
import io.flinkplatform.engine.storage.BlobStore;
import io.flinkplatform.engine.storage.BlobStores;
import io.flinkplatform.engine.testing.Sql;
import io.flinkplatform.engine.testing.TestDatabase;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention against the real database: what is deleted, what is kept, and by whom. */
class HousekeeperTest {
  private static final Duration RETENTION = Duration.ofHours(1);
  private static final long HOUR = 3_600_000L;
  @TempDir Path logRoot;
  @TempDir Path sharedRoot;
  private HikariDataSource ds;
  private Store store;
  private LocalLogStore logs;
  private final long now = System.currentTimeMillis();

  @BeforeEach
  void setUp() {
    ds = TestDatabase.get().newDatabase();
    Schema.apply(ds, SchemaMode.MIGRATE);
    store = new Store(ds);
    logs = LocalLogStore.of(logRoot, store.installationId(now));
    assertThat(logs.claim()).isNull(); // an empty directory: marked as this installation's
  }

  @AfterEach
  void tearDown() {
    ds.close();
  }

  private Housekeeper instance(String owner) {
    return new Housekeeper(
        store, logs, Clock.systemUTC(), owner, owner, RETENTION, Duration.ofSeconds(1));
  }

  /**
   * Inserts a run ended {@code endedAgo} ms ago (null: not ended) with attempts, and their logs.
   */
  private long run(String state, Long endedAgo, Long parentAttemptId, Long backfillId, int attempts)
      throws Exception {
    Long ended = endedAgo == null ? null : now - endedAgo;
    Sql.update(
        ds,
        "INSERT INTO t_job_flow_run (flow_id, flow_name, flow_version, state, logical_date, params,"
            + " created_at, started_at, ended_at, parent_attempt_id, backfill_id) VALUES (1, 'w', 1,"
            + " '"
            + state
            + "', 0, '{}', 0, 0, "
            + ended
            + ", "
            + parentAttemptId
            + ", "
            + backfillId
            + ")");
    long runId = Sql.single(ds, "SELECT MAX(id) FROM t_job_flow_run");
    for (int i = 1; i <= attempts; i++) {
      String taskState = state.equals("RUNNING") ? "RUNNING" : state;
      Path log = logRoot.resolve(Long.toString(runId)).resolve("a." + i + ".log");
      Files.createDirectories(log.getParent());
      Files.writeString(log, "attempt " + i + "\n");
      Sql.update(
          ds,
          "INSERT INTO t_job_run (flow_run_id, flow_id, task_id, attempt, state, created_at,"
              + " log_path) VALUES ("
              + runId
              + ", 1, 'a', "
              + i
              + ", '"
              + taskState
              + "', 0, '"
              + log.toUri()
              + "')");
    }
    return runId;
  }

  private long attemptOf(long runId) {
    return Sql.single(ds, "SELECT MIN(id) FROM t_job_run WHERE flow_run_id = " + runId);
  }

  private List<Long> runs() throws Exception {
    List<Long> ids = new ArrayList<>();
    Sql.query(ds, "SELECT id FROM t_job_flow_run ORDER BY id", rs -> ids.add(rs.getLong(1)));
    return ids;
  }

  private long attemptsOf(long runId) {
    return Sql.single(ds, "SELECT COUNT(*) FROM t_job_run WHERE flow_run_id = " + runId);
  }

  @Test
  void deletesOnlyFinishedRunsPastTheAgeWithTheirAttemptsAndLogs() throws Exception {
    long oldSuccess = run("SUCCESS", 2 * HOUR, null, null, 2);
    long recentFailure = run("FAILED", HOUR / 6, null, null, 1);
    long running = run("RUNNING", null, null, null, 1);
    long reopened = run("RUNNING", 2 * HOUR, null, null, 1); // a rerun of an old run
    long childOfKept = run("SUCCESS", 2 * HOUR, attemptOf(running), null, 1);
    Sql.update(
        ds,
        "INSERT INTO t_backfill (flow_name, first_date, last_date, runs, parallelism, state,"
            + " created_at) VALUES ('w', 0, 0, 2, 1, 'RUNNING', 0)");
    long inOpenBackfill =
        run("SUCCESS", 2 * HOUR, null, Sql.single(ds, "SELECT MAX(id) FROM t_backfill"), 1);
    long oldKilled = run("KILLED", 3 * HOUR, null, null, 0);
    logOf(logRoot, "424242"); // logs of a run deleted elsewhere

    Housekeeper h = instance("one");
    assertThat(h.deleteExpiredRuns()).isEqualTo(2);
    assertThat(h.deleteOrphanLogs()).isEqualTo(2);

    assertThat(runs())
        .containsExactly(recentFailure, running, reopened, childOfKept, inOpenBackfill);
    assertThat(attemptsOf(oldSuccess)).isZero();
    assertThat(attemptsOf(oldKilled)).isZero();
    for (long kept : List.of(recentFailure, running, reopened, childOfKept, inOpenBackfill)) {
      assertThat(attemptsOf(kept)).as("attempts of run %s", kept).isEqualTo(1);
      assertThat(logRoot.resolve(Long.toString(kept)).resolve("a.1.log")).exists();
    }
    assertThat(logRoot.resolve(Long.toString(oldSuccess))).doesNotExist();
    assertThat(logRoot.resolve("424242")).doesNotExist();

    // the parent run goes: its child goes in the next round
    Sql.update(
        ds,
        "UPDATE t_job_flow_run SET state = 'SUCCESS', ended_at = "
            + (now - 2 * HOUR)
            + " WHERE id = "
            + running);
    assertThat(h.deleteExpiredRuns()).isEqualTo(1);
    assertThat(h.deleteExpiredRuns()).isEqualTo(1);
    assertThat(runs()).containsExactly(recentFailure, reopened, inOpenBackfill);
  }

  @Test
  void shippedLogsGoWithTheirRunsAndThoseOfRunsGoneElsewhereAreSwept() throws Exception {
    BlobStore shared = BlobStores.local(sharedRoot);
    LocalLogStore sharing = logs.sharing(shared, Duration.ofHours(1), "test");
    try {
      String base = "logs/" + LocalLogStore.digest(store.installationId(now)) + "/";
      long old = run("SUCCESS", 2 * HOUR, null, null, 1);
      long recent = run("SUCCESS", HOUR / 6, null, null, 1);
      for (long id : List.of(old, recent, 555L)) {
        shared.put(base + id + "/1.a/part-1-0-2", new ByteArrayInputStream(new byte[] {'x', 10}));
      }
      shared.put(
          "logs/installation-of-another-database/555/1.a/part-1-0-1",
          InputStream.nullInputStream());
      Housekeeper h =
          new Housekeeper(
              store, sharing, Clock.systemUTC(), "one", "one", RETENTION, Duration.ofSeconds(1));

      assertThat(h.deleteExpiredRuns()).isEqualTo(1);
      assertThat(shared.list(base + old)).isEmpty();
      assertThat(shared.list(base + recent)).hasSize(1);
      assertThat(h.deleteOrphanSharedLogs()).isEqualTo(1);
      assertThat(shared.list(base + "555")).isEmpty();
      assertThat(shared.list(base + recent)).hasSize(1);
      assertThat(shared.list("logs/installation-of-another-database")).hasSize(1);
    } finally {
      sharing.stopShipping();
    }
  }

  @Test
  void oneInstanceAtATimeDeletesAndDeletingTwiceIsHarmless() throws Exception {
    run("SUCCESS", 2 * HOUR, null, null, 1);
    Housekeeper one = instance("one");
    Housekeeper two = instance("two");
    assertThat(one.deleteExpiredRuns()).isEqualTo(1);

    long later = run("SUCCESS", 2 * HOUR, null, null, 1);
    // one holds the lease: two does not delete, even with work to do
    assertThat(two.deleteExpiredRuns()).isZero();
    assertThat(runs()).containsExactly(later);

    // one died: once its lease lapsed, two takes over
    Sql.update(ds, "UPDATE t_housekeeping SET lease_until = 0");
    assertThat(two.deleteExpiredRuns()).isEqualTo(1);
    assertThat(runs()).isEmpty();
    assertThat(one.deleteExpiredRuns()).isZero();

    // the logs of the deleted runs (and of one deleted elsewhere), removed by two instances
    // sharing a directory: the second finds nothing left to do
    logOf(logRoot, "77");
    assertThat(one.deleteOrphanLogs()).isEqualTo(3);
    assertThat(two.deleteOrphanLogs()).isZero();
    try (var left = Files.list(logRoot)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly(LocalLogStore.MARKER);
    }
  }

  /** A task log of run {@code runId} in {@code root}, as the log store writes it. */
  private static Path logOf(Path root, String runId) throws Exception {
    Path log = root.resolve(runId).resolve("a.1.log");
    Files.createDirectories(log.getParent());
    return Files.writeString(log, "a line\n");
  }

  @Test
  void leavesAloneWhatIsNotProvablyThisInstallationsLogs(@TempDir Path elsewhere) throws Exception {
    // in this installation's directory: numbered folders that are not run logs stay
    Path notLogs = Files.createDirectories(logRoot.resolve("2024"));
    Files.writeString(notLogs.resolve("report.csv"), "x");
    Path mixed = logOf(logRoot, "31").getParent();
    Files.writeString(mixed.resolve("notes.txt"), "kept");
    Path empty = Files.createDirectories(logRoot.resolve("32"));
    Path orphan = logOf(logRoot, "33").getParent();
    assertThat(instance("one").deleteOrphanLogs()).isEqualTo(1);
    assertThat(orphan).doesNotExist();
    assertThat(notLogs.resolve("report.csv")).exists();
    assertThat(mixed.resolve("a.1.log")).exists();
    assertThat(mixed.resolve("notes.txt")).exists();
    assertThat(empty).exists();

    // a directory marked by another installation (another database sharing it): nothing goes
    Path foreign = Files.createDirectories(elsewhere.resolve("foreign"));
    Files.writeString(foreign.resolve(LocalLogStore.MARKER), LocalLogStore.digest("other") + "\n");
    Path theirs = logOf(foreign, "5").getParent();
    // a directory with logs but no mark at all (used before marks existed): nothing goes either
    Path unmarked = Files.createDirectories(elsewhere.resolve("unmarked"));
    Path old = logOf(unmarked, "6").getParent();
    for (Path dir : List.of(foreign, unmarked)) {
      LocalLogStore there = LocalLogStore.of(dir, store.installationId(now));
      Housekeeper h =
          new Housekeeper(
              store, there, Clock.systemUTC(), "one", "one", RETENTION, Duration.ofSeconds(1));
      assertThat(there.owned()).as("%s is this installation's", dir).isFalse();
      assertThat(h.deleteOrphanLogs()).as("orphans deleted in %s", dir).isZero();
    }
    assertThat(theirs.resolve("a.1.log")).exists();
    assertThat(old.resolve("a.1.log")).exists();
    assertThat(unmarked.resolve(LocalLogStore.MARKER)).doesNotExist();
    assertThat(Files.readString(foreign.resolve(LocalLogStore.MARKER)).strip())
        .isEqualTo(LocalLogStore.digest("other"));
  }

  @Test
  void deletesInBoundedBatches() throws Exception {
    int n = 2 * Housekeeper.BATCH_RUNS + 17;
    for (int i = 0; i < n; i++) {
      run("SUCCESS", 2 * HOUR, null, null, 0);
    }
    assertThat(instance("one").deleteExpiredRuns()).isEqualTo(n);
    assertThat(runs()).isEmpty();
  }

  /** Inserts an alert raised {@code ago} ms ago with one delivery in {@code state} and one try. */
  private long alert(long ago, String state) throws Exception {
    Sql.update(
        ds,
        "INSERT INTO t_alert (workspace, rule_id, rule_name, kind, severity, dedup_key, group_key,"
            + " idempotency_key, title, text, facts, raised_at) VALUES ('default', 1, 'r',"
            + " 'RUN_FAILED', 'CRITICAL', 'k"
            + ago
            + state
            + "', '-', 'fp-x', 't', 'x', '{}', "
            + (now - ago)
            + ")");
    long id = Sql.single(ds, "SELECT MAX(id) FROM t_alert");
    Sql.update(
        ds,
        "INSERT INTO t_alert_delivery (alert_id, workspace, channel_name, state, next_at) VALUES ("
            + id
            + ", 'default', 'ops', '"
            + state
            + "', 0)");
    long delivery = Sql.single(ds, "SELECT MAX(id) FROM t_alert_delivery");
    Sql.update(
        ds,
        "INSERT INTO t_alert_attempt (delivery_id, attempt, owner, epoch, started_at) VALUES ("
            + delivery
            + ", 1, 'i', 1, 0)");
    return id;
  }

  @Test
  void alertsPastTheAgeWhoseDeliveriesAreOverGoWithTheirDeliveriesAndTries() throws Exception {
    long oldDelivered = alert(2 * HOUR, "DELIVERED");
    long oldFailed = alert(2 * HOUR, "FAILED");
    long oldPending = alert(2 * HOUR, "PENDING"); // still to be sent: kept
    long oldHeld = alert(2 * HOUR, "HELD"); // waits for its digest: kept
    long recent = alert(HOUR / 2, "DELIVERED");
    Sql.update(
        ds,
        "INSERT INTO t_alert_window (rule_id, group_key, window_end) VALUES (1, 'old', "
            + (now - 2 * HOUR)
            + "), (1, 'open', "
            + (now + HOUR)
            + ")");

    Housekeeper h = instance("one");
    h.deleteExpiredRuns(); // takes the lease
    assertThat(h.deleteExpiredAlerts()).isEqualTo(2);

    List<Long> left = new ArrayList<>();
    Sql.query(ds, "SELECT id FROM t_alert ORDER BY id", rs -> left.add(rs.getLong(1)));
    assertThat(left)
        .containsExactly(oldPending, oldHeld, recent)
        .doesNotContain(oldDelivered, oldFailed);
    assertThat(Sql.single(ds, "SELECT COUNT(*) FROM t_alert_delivery")).isEqualTo(3);
    assertThat(Sql.single(ds, "SELECT COUNT(*) FROM t_alert_attempt")).isEqualTo(3);
    assertThat(Sql.single(ds, "SELECT COUNT(*) FROM t_alert_window WHERE group_key = 'open'"))
        .isEqualTo(1);
    assertThat(Sql.single(ds, "SELECT COUNT(*) FROM t_alert_window")).isEqualTo(1);
    // another instance without the lease deletes nothing
    alert(3 * HOUR, "DELIVERED");
    assertThat(instance("two").deleteExpiredAlerts()).isZero();
  }
}
