package io.flinkplatform.engine.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.PlatformException;
import io.flinkplatform.engine.SchemaMode;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskState;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the engine relies on from its persistence layer. Every database the platform supports runs
 * this contract: subclasses only say where the (fresh, empty) database is.
 */
abstract class StoreContract {
  private Store store;
  private DataSource dataSource;
  private long flowId;

  /** A fresh, empty database for each test. */
  protected abstract DataSource freshDatabase();

  @BeforeEach
  void migrate() {
    DataSource ds = freshDatabase();
    Schema.apply(ds, SchemaMode.MIGRATE);
    dataSource = ds;
    store = new Store(ds);
    flowId = StoreRows.flow(store);
  }

  private List<Long> runs(int n) {
    return StoreRows.runs(store, flowId, n);
  }

  private List<Long> ready(long runId, int n, int priority, long readyAt) {
    return attempts(runId, n, TaskState.READY, priority, readyAt);
  }

  private List<Long> attempts(long runId, int n, TaskState state, int priority, long readyAt) {
    List<AttemptRow> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(
          StoreRows.attempt(
              runId,
              flowId,
              "t" + priority + "_" + readyAt + "_" + i,
              priority,
              priority,
              state,
              readyAt));
    }
    return StoreRows.insert(store, runId, rows);
  }

  @Test
  void migrationIsIdempotentAndValidates() {
    DataSource ds = freshDatabase();
    Schema.apply(ds, SchemaMode.MIGRATE);
    Schema.apply(ds, SchemaMode.MIGRATE);
    Schema.apply(ds, SchemaMode.VALIDATE);
  }

  @Test
  void validateOnAnEmptyDatabaseSaysWhatToDo() {
    assertThatThrownBy(() -> Schema.apply(freshDatabase(), SchemaMode.VALIDATE))
        .isInstanceOf(PlatformException.class)
        .hasMessageContaining("schema validate failed")
        .hasMessageContaining("SchemaMode.MIGRATE");
  }

  @Test
  void multiRowInsertReturnsIdsInOrder() {
    List<Long> ids = runs(5);
    assertThat(ids).hasSize(5).isSorted().doesNotHaveDuplicates().doesNotContainNull();
  }

  @Test
  void claimsHonourReadyTimeThenPriorityThenAge() {
    long run = runs(1).get(0);
    List<Long> low = ready(run, 2, 0, 100);
    List<Long> high = ready(run, 2, 5, 100);
    List<Long> later = ready(run, 1, 9, 10_000);
    List<Long> claimed =
        store.tx(
            "claim",
            m ->
                ids(
                    m.selectClaimable(
                        500, 10, List.of("noop"), List.of(), Limits.Full.NONE, null)));
    assertThat(claimed).containsExactly(high.get(0), high.get(1), low.get(0), low.get(1));
    List<Long> due =
        store.tx(
            "claim",
            m ->
                ids(
                    m.selectClaimable(
                        20_000, 1, List.of("noop"), List.of(), Limits.Full.NONE, null)));
    assertThat(due).containsExactly(later.get(0));
  }

  @Test
  void theClaimReadsWholeRowsAsSelectAttemptsDoes() {
    long run = runs(1).get(0);
    List<Long> ids = ready(run, 3, 2, 7);
    List<AttemptRow> claimed =
        store.tx(
            "claim",
            m -> m.selectClaimable(500, 10, List.of("noop"), List.of(), Limits.Full.NONE, null));
    List<AttemptRow> read = store.tx("read", m -> m.selectAttempts(ids));
    assertThat(claimed)
        .hasSize(3)
        .usingRecursiveFieldByFieldElementComparator()
        .containsExactlyInAnyOrderElementsOf(read);
    assertThat(claimed)
        .allSatisfy(
            a -> {
              assertThat(a.flowRunId).isEqualTo(run);
              assertThat(a.flowId).isEqualTo(flowId);
              assertThat(a.taskType).isEqualTo("noop");
              assertThat(a.state).isEqualTo(TaskState.READY);
              assertThat(a.readyAt).isEqualTo(7);
              assertThat(a.negPriority).isEqualTo(-2);
              assertThat(a.taskId).startsWith("t2_7_");
            });
  }

  @Test
  void concurrentClaimsSkipEachOthersRows() throws Exception {
    long run = runs(1).get(0);
    List<Long> all = ready(run, 10, 0, 0);
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<List<Long>> first =
        CompletableFuture.supplyAsync(
            () ->
                store.tx(
                    "claim first",
                    m -> {
                      List<Long> ids =
                          ids(
                              m.selectClaimable(
                                  1, 4, List.of("noop"), List.of(), Limits.Full.NONE, null));
                      held.countDown();
                      await(release);
                      return ids;
                    }));
    assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
    List<Long> second =
        store.tx(
            "claim second",
            m -> ids(m.selectClaimable(1, 10, List.of("noop"), List.of(), Limits.Full.NONE, null)));
    release.countDown();
    assertThat(first.get(10, TimeUnit.SECONDS)).hasSize(4).doesNotContainAnyElementsOf(second);
    assertThat(second).hasSize(6);
    List<Long> union = new ArrayList<>(second);
    union.addAll(first.get());
    assertThat(union).containsExactlyInAnyOrderElementsOf(all);
  }

  @Test
  void everyClaimRaisesTheEpochAndOnlyTheCurrentEpochCanFinish() {
    long run = runs(1).get(0);
    long id = ready(run, 1, 0, 0).get(0);
    store.run("claim", m -> m.markClaimed(List.of(id), "a", 1_000, 1));
    AttemptRow first = store.tx("read", m -> m.selectAttempts(List.of(id))).get(0);
    assertThat(first.epoch).isEqualTo(1);
    int handedBack = store.tx("hand back", m -> m.handBack(id, 1, 2));
    assertThat(handedBack).isEqualTo(1);
    store.run("claim again", m -> m.markClaimed(List.of(id), "b", 1_000, 3));
    AttemptRow stale = new AttemptRow();
    stale.id = id;
    stale.epoch = 1;
    stale.state = TaskState.SUCCESS;
    int staleCount = store.tx("stale finish", m -> m.finishAttempts(List.of(stale), 4));
    assertThat(staleCount).isZero();
    stale.epoch = 2;
    int current = store.tx("current finish", m -> m.finishAttempts(List.of(stale), 4));
    assertThat(current).isEqualTo(1);
    AttemptRow done = store.tx("read", m -> m.selectAttempts(List.of(id))).get(0);
    assertThat(done.state).isEqualTo(TaskState.SUCCESS);
    assertThat(done.owner).isEqualTo("b");
    assertThat(done.endedAt).isEqualTo(4);
  }

  @Test
  void oneFinishEndsOnlyTheRunningAttemptsOfTheirCurrentEpochWithTheirOwnValues() {
    long run = runs(1).get(0);
    List<Long> ids = ready(run, 4, 0, 0);
    store.run("claim", m -> m.markClaimed(ids, "a", 1_000, 1));
    store.tx("hand back the third", m -> m.handBack(ids.get(2), 1, 2));
    List<AttemptRow> rows = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      AttemptRow r = new AttemptRow();
      r.id = ids.get(i);
      r.epoch = i == 1 ? 0 : 1; // the second one's epoch is stale
      r.state = i == 3 ? TaskState.FAILED : TaskState.SUCCESS;
      // the first row's values are null: the others' must not take their type from it
      r.outputs = i == 0 ? null : "{\"n\":" + i + "}";
      r.message = i == 0 ? null : "message " + i + "x".repeat(600);
      r.logPath = i == 0 ? null : "file:///logs/" + i;
      r.branches = i == 0 ? null : "[\"b" + i + "\"]";
      rows.add(r);
    }
    int ended = store.tx("finish", m -> m.finishAttempts(rows, 9));
    assertThat(ended).isEqualTo(2);
    List<AttemptRow> after = store.tx("read", m -> m.selectAttempts(ids));
    after.sort((x, y) -> Long.compare(x.id, y.id));
    assertThat(after.get(0).state).isEqualTo(TaskState.SUCCESS);
    assertThat(after.get(0).outputs).isNull();
    assertThat(after.get(0).endedAt).isEqualTo(9);
    assertThat(after.get(0).leaseUntil).isNull();
    assertThat(after.get(1).state).isEqualTo(TaskState.RUNNING);
    assertThat(after.get(1).endedAt).isNull();
    assertThat(after.get(1).leaseUntil).isNotNull();
    assertThat(after.get(2).state).isEqualTo(TaskState.READY);
    assertThat(after.get(2).endedAt).isNull();
    AttemptRow last = after.get(3);
    assertThat(last.state).isEqualTo(TaskState.FAILED);
    assertThat(last.outputs).isEqualTo("{\"n\":3}");
    assertThat(last.message).isEqualTo("message 3" + "x".repeat(600));
    assertThat(last.logPath).isEqualTo("file:///logs/3");
    // branches are not among the attempt columns: read with the states of the run
    List<AttemptRow> states = store.tx("states", m -> m.selectStatesOfRuns(List.of(run), null));
    assertThat(states.stream().filter(a -> a.id.equals(ids.get(3))).map(a -> a.branches))
        .containsExactly("[\"b3\"]");
    assertThat(last.endedAt).isEqualTo(9);
    assertThat(last.leaseUntil).isNull();
  }

  @Test
  void oneResolutionWritesOnlyWaitingAttemptsWithTheirOwnValues() {
    long run = runs(1).get(0);
    List<Long> ids = attempts(run, 4, TaskState.WAITING, 0, 0);
    // the third was claimed meanwhile (a stale decision must not overwrite it)
    store.run("ready the third", m -> m.readyWaiting(List.of(ids.get(2)), 1));
    store.run("claim the third", m -> m.markClaimed(List.of(ids.get(2)), "a", 1_000, 1));
    List<AttemptRow> rows = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      AttemptRow r = new AttemptRow();
      r.id = ids.get(i);
      // the first row's values are null: the others' must not take their type from it
      r.state = i == 0 ? TaskState.READY : i == 1 ? TaskState.SKIPPED : TaskState.UPSTREAM_FAILED;
      r.message = i == 0 ? null : "why " + i + "x".repeat(600);
      r.endedAt = i == 0 ? null : 10L + i;
      rows.add(r);
    }
    int resolved = store.tx("resolve", m -> m.resolveWaiting(rows, 7));
    assertThat(resolved).isEqualTo(3);
    List<AttemptRow> after = store.tx("read", m -> m.selectAttempts(ids));
    after.sort((x, y) -> Long.compare(x.id, y.id));
    assertThat(after.get(0).state).isEqualTo(TaskState.READY);
    assertThat(after.get(0).message).isNull();
    assertThat(after.get(0).endedAt).isNull();
    assertThat(after.get(0).readyAt).isEqualTo(7);
    assertThat(after.get(1).state).isEqualTo(TaskState.SKIPPED);
    assertThat(after.get(1).message).isEqualTo("why 1" + "x".repeat(600));
    assertThat(after.get(1).endedAt).isEqualTo(11);
    assertThat(after.get(2).state).isEqualTo(TaskState.RUNNING);
    assertThat(after.get(2).message).isNull();
    assertThat(after.get(2).endedAt).isNull();
    assertThat(after.get(3).state).isEqualTo(TaskState.UPSTREAM_FAILED);
    assertThat(after.get(3).endedAt).isEqualTo(13);
  }

  @Test
  void fanInCountersAreStoredOnlyOnWaitingAttempts() {
    long run = runs(1).get(0);
    List<Long> ids = attempts(run, 3, TaskState.WAITING, 0, 0);
    store.run("ready the last", m -> m.readyWaiting(List.of(ids.get(2)), 1));
    List<AttemptRow> rows = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      AttemptRow r = new AttemptRow();
      r.id = ids.get(i);
      r.openEdges = i == 0 ? null : i + 1;
      rows.add(r);
    }
    int stored = store.tx("counters", m -> m.setOpenEdges(rows));
    assertThat(stored).isEqualTo(2); // the two WAITING ones (found rows); the last is READY
    List<AttemptRow> states = store.tx("states", m -> m.selectStatesOfRuns(List.of(run), null));
    states.sort((x, y) -> Long.compare(x.id, y.id));
    assertThat(states).extracting(a -> a.openEdges).containsExactly(null, 2, null);
  }

  @Test
  void oneFinishEndsTheListedRunsInItsState() {
    List<Long> ids = runs(3);
    int ended =
        store.tx("finish runs", m -> m.finishRuns(RunState.SUCCESS, List.of(ids.get(0)), 5));
    ended += store.tx("finish runs", m -> m.finishRuns(RunState.FAILED, List.of(ids.get(1)), 6));
    assertThat(ended).isEqualTo(2);
    List<RunRow> after = store.tx("read", m -> m.selectRuns(ids));
    after.sort((x, y) -> Long.compare(x.id, y.id));
    assertThat(after)
        .extracting(r -> r.state)
        .containsExactly(RunState.SUCCESS, RunState.FAILED, RunState.RUNNING);
    assertThat(after).extracting(r -> r.endedAt).containsExactly(5L, 6L, null);
  }

  @Test
  void aFinishOfAttemptsEndingAlikeEndsOnlyTheRunningOnesOfItsEpochAndClearsTheirTexts() {
    long run = runs(1).get(0);
    List<Long> ids = ready(run, 4, 0, 0);
    store.run("claim", m -> m.markClaimed(ids, "a", 1_000, 1));
    store.tx("hand back the third", m -> m.handBack(ids.get(2), 1, 2));
    // the second is claimed again: epoch 2, so the finish on epoch 1 must leave it running
    store.tx("hand back the second", m -> m.handBack(ids.get(1), 1, 2));
    store.run("claim the second", m -> m.markClaimed(List.of(ids.get(1)), "b", 1_000, 3));
    store.run(
        "texts of the first while it runs",
        m -> {
          m.setRunningMessage(ids.get(0), 1, "working");
          m.storeLogPath(ids.get(0), 1, "file:///logs/0");
        });

    int ended = store.tx("finish", m -> m.finishAttemptsAlike(TaskState.SUCCESS, 1, ids, 9));

    assertThat(ended).isEqualTo(2); // the first and the last
    List<AttemptRow> after = store.tx("read", m -> m.selectAttempts(ids));
    after.sort((x, y) -> Long.compare(x.id, y.id));
    assertThat(after)
        .extracting(a -> a.state)
        .containsExactly(TaskState.SUCCESS, TaskState.RUNNING, TaskState.READY, TaskState.SUCCESS);
    assertThat(after).extracting(a -> a.endedAt).containsExactly(9L, null, null, 9L);
    assertThat(after.get(0).leaseUntil).isNull();
    assertThat(after.get(1).leaseUntil).isNotNull();
    // the same values as finishAttempts with an end that carries none
    assertThat(after.get(0).message).isNull();
    assertThat(after.get(0).logPath).isNull();
    assertThat(after.get(0).outputs).isNull();
    assertThat(after.get(0).branches).isNull();
  }

  @Test
  void anInstanceFindsItsRunningAttemptsOfRunsBeingKilledOnly() {
    List<Long> runIds = runs(2); // the first is being killed
    List<Long> killed = ready(runIds.get(0), 3, 0, 0);
    List<Long> other = ready(runIds.get(1), 1, 0, 0);
    store.run(
        "claim",
        m -> {
          m.markClaimed(killed.subList(0, 2), "a", 60_000, 1);
          m.markClaimed(List.of(killed.get(2)), "b", 60_000, 1); // another instance's
          m.markClaimed(other, "a", 60_000, 1); // a run not being killed
          m.setRunState(runIds.get(0), RunState.RUNNING, RunState.KILLING);
        });
    store.tx("hand one back", m -> m.handBack(killed.get(1), 1, 2)); // READY: not running

    List<Long> all = new ArrayList<>(killed);
    all.addAll(other);

    List<Long> requested = store.tx("kills", m -> m.selectKillRequested("a", all));

    assertThat(requested).containsExactly(killed.get(0));
    List<Long> ofB = store.tx("kills", m -> m.selectKillRequested("b", all));
    assertThat(ofB).containsExactly(killed.get(2));
    // only the attempts asked about
    List<Long> asked = store.tx("kills", m -> m.selectKillRequested("a", other));
    assertThat(asked).isEmpty();
  }

  @Test
  void anInstanceFindsItsRunningAttemptsOfOneClaimTime() {
    long run = runs(1).get(0);
    List<Long> ids = ready(run, 4, 0, 0);
    store.run(
        "claims",
        m -> {
          m.markClaimed(ids.subList(0, 2), "a", 60_000, 7);
          m.markClaimed(List.of(ids.get(2)), "a", 60_000, 8); // another claim of the instance
          m.markClaimed(List.of(ids.get(3)), "b", 60_000, 7); // another instance's
        });
    store.tx("hand one back", m -> m.handBack(ids.get(1), 1, 9));

    List<AttemptRow> claimed = store.tx("claimed at", m -> m.selectClaimedAt("a", 7, ids));

    assertThat(claimed).extracting(a -> a.id).containsExactly(ids.get(0));
    assertThat(claimed).extracting(a -> a.epoch).containsExactly(1L);
    // only the attempts asked about
    List<AttemptRow> asked =
        store.tx("claimed at", m -> m.selectClaimedAt("a", 7, ids.subList(1, 4)));
    assertThat(asked).isEmpty();
  }

  @Test
  void leasesAreRenewedOnlyByTheirOwnerAndExpiredOnesAreFound() {
    long run = runs(1).get(0);
    List<Long> ids = ready(run, 2, 0, 0);
    // leases that ended a second ago by the database's clock
    store.run(
        "claim",
        m -> {
          m.markClaimed(List.of(ids.get(0)), "a", -1_000, 1);
          m.markClaimed(List.of(ids.get(1)), "b", -1_000, 1);
        });
    int renewed = store.tx("renew", m -> m.renewLeases("a", ids, 60_000));
    assertThat(renewed).isEqualTo(1);
    List<Expired> expired = store.tx("expired", m -> m.selectExpired(10));
    assertThat(expired).extracting(r -> r.id).containsExactly(ids.get(1));
    assertThat(expired.get(0).owner).isEqualTo("b");
    assertThat(expired.get(0).lapsedMillis).isBetween(1_000L, 60_000L);
    // the reaper's update checks the lease again, by the database's clock of its own statement
    int reapedA = store.tx("reap a", m -> m.reapExpired(ids.get(0), 1, 2));
    int reapedB = store.tx("reap b", m -> m.reapExpired(ids.get(1), 1, 2));
    assertThat(reapedA).isZero();
    assertThat(reapedB).isEqualTo(1);
    AttemptRow a = store.tx("read", m -> m.selectAttempts(List.of(ids.get(0)))).get(0);
    assertThat(a.state).isEqualTo(TaskState.RUNNING);
    assertThat(a.owner).isEqualTo("a");
    AttemptRow b = store.tx("read", m -> m.selectAttempts(List.of(ids.get(1)))).get(0);
    assertThat(b.state).isEqualTo(TaskState.READY);
    assertThat(b.owner).isNull();
    assertThat(b.leaseUntil).as("a re-queue keeps the lapsed lease").isNotNull();
  }

  @Test
  void unfinishedRunsAndLatestStatesAreReported() {
    List<Long> r = runs(2);
    ready(r.get(0), 1, 0, 0);
    List<Long> unfinished = store.tx("unfinished", m -> m.selectUnfinishedRuns(r));
    assertThat(unfinished).containsExactly(r.get(0));
  }

  /**
   * A completion batch reads the attempts of up to 256 runs. Past eq_range_index_dive_limit (200
   * values) the optimizer estimates an IN list from index statistics, and those of a table that has
   * just grown still say "one distinct run": it then read the whole table for every batch.
   */
  @Test
  void readsOfManyRunsUseTheRunIndexEvenWithStaleStatistics() throws Exception {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute("ALTER TABLE t_job_run STATS_AUTO_RECALC = 0");
      s.execute("ANALYZE TABLE t_job_run"); // statistics of the empty table
    }
    int batch = Platform.DEFAULT_COMPLETION_BATCH_SIZE; // the most runs a completion batch names
    List<Long> runIds = runs(batch + 44);
    for (long runId : runIds) {
      ready(runId, 10, 0, 0);
    }
    List<Long> asked = runIds.subList(0, batch);
    // the three reads on one connection, whose own counters (SHOW SESSION STATUS) nothing else
    // on the server moves
    try (Connection one = dataSource.getConnection()) {
      Store onOne = new Store(unclosable(one));
      long before = fullScanReads(one);
      List<AttemptRow> states = onOne.tx("states", m -> m.selectStatesOfRuns(asked, null));
      List<Long> unfinished = onOne.tx("unfinished", m -> m.selectUnfinishedRuns(asked));
      List<AttemptRow> task = onOne.tx("task", m -> m.selectTaskOfRuns(asked, "t0_0_0"));
      long scanned = fullScanReads(one) - before;
      assertThat(states).hasSize(batch * 10);
      assertThat(unfinished).hasSize(batch);
      assertThat(task).hasSize(batch);
      assertThat(scanned)
          .as(
              "rows read by table scans (%,d attempts; SHOW STATUS scans a few hundred itself)",
              (batch + 44) * 10)
          .isLessThan(2_000);
    }
  }

  /** The session's count of rows read by table scans (Handler_read_rnd_next). */
  private static long fullScanReads(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SHOW SESSION STATUS LIKE 'Handler_read_rnd_next'")) {
      r.next();
      return r.getLong(2);
    }
  }

  /** A data source that hands out {@code c} every time and leaves it open when "closed". */
  private static DataSource unclosable(Connection c) {
    Connection kept =
        (Connection)
            Proxy.newProxyInstance(
                Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("close")) {
                    return null;
                  }
                  try {
                    return method.invoke(c, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    return (DataSource)
        Proxy.newProxyInstance(
            DataSource.class.getClassLoader(),
            new Class<?>[] {DataSource.class},
            (proxy, method, args) -> {
              if (method.getName().equals("getConnection")) {
                return kept;
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static List<Long> ids(List<AttemptRow> rows) {
    return rows.stream().map(r -> r.id).toList();
  }
}
