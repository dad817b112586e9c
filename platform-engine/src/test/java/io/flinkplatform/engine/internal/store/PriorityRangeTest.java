package io.flinkplatform.engine.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.flinkplatform.engine.SchemaMode;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Effective priorities (workflow plus task) never wrap around, and ageing never takes a priority
 * out of the column's range, even for definitions stored before priorities were bounded; a claim
 * that starts behind an entry ({@link ClaimFrom}) takes what the scan from the front would take
 * after that entry, through a range that starts behind it.
 */
class PriorityRangeTest {
  private HikariDataSource ds;
  private Store store;
  private long runId;
  private long flowId;

  @BeforeEach
  void migrate() {
    ds = TestDatabase.get().newDatabase();
    Schema.apply(ds, SchemaMode.MIGRATE);
    store = new Store(ds);
    flowId = StoreRows.flow(store);
    runId = StoreRows.runs(store, flowId, 1).get(0);
  }

  @AfterEach
  void close() {
    ds.close();
  }

  private AttemptRow attempt(String id, long priority) {
    return StoreRows.attempt(runId, flowId, id, 0, priority, TaskState.READY, 0);
  }

  @Test
  void theSumOfTwoLargePrioritiesStaysTheHighestInsteadOfWrapping() throws Exception {
    int old = Integer.MAX_VALUE; // a workflow and a task deployed before the bounds
    store.run(
        "insert attempts",
        m ->
            m.insertAttempts(
                List.of(
                    attempt("huge", (long) old + old),
                    attempt("plain", 5),
                    attempt("low", -(long) old - old))));

    List<Long> order =
        store.tx(
            "claim",
            m ->
                ids(m.selectClaimable(10, 10, List.of("noop"), List.of(), Limits.Full.NONE, null)));
    assertThat(order).hasSize(3);
    assertThat(negPriorities())
        .containsExactly(
            -AttemptRow.MAX_EFFECTIVE_PRIORITY, -5L, AttemptRow.MAX_EFFECTIVE_PRIORITY);
  }

  @Test
  void ageingStopsAtTheEndOfTheColumnsRange() throws Exception {
    store.run("insert attempt", m -> m.insertAttempts(List.of(attempt("oldest", 0))));
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      // a row aged to the bottom of INT (or written so by an earlier version)
      s.executeUpdate("UPDATE t_job_run SET neg_priority = -2147483648");
    }

    int aged = store.tx("age", m -> m.ageReady(1_000_000, 1));

    assertThat(aged).isZero();
    assertThat(negPriorities()).containsExactly((long) Integer.MIN_VALUE);
  }

  @Test
  void aClaimFromAnEntryTakesItsPrioritysLaterAttemptsThenLowerPrioritiesOnly() {
    // ids in insertion order: a1 (p 5), b1 (p 0), a2 (p 5), c1 (p -3), b2 (p 0), h (p 9)
    store.run(
        "insert attempts",
        m ->
            m.insertAttempts(
                List.of(
                    attempt("a1", 5),
                    attempt("b1", 0),
                    attempt("a2", 5),
                    attempt("c1", -3),
                    attempt("b2", 0),
                    attempt("h", 9))));
    List<AttemptRow> front =
        store.tx(
            "front",
            m -> m.selectClaimable(10, 10, List.of("noop"), List.of(), Limits.Full.NONE, null));
    assertThat(front.stream().map(r -> r.taskId))
        .containsExactly("h", "a1", "a2", "b1", "b2", "c1");
    AttemptRow a1 = front.get(1);

    List<String> behindA1 =
        store.tx(
            "from a1",
            m ->
                m
                    .selectClaimable(
                        10,
                        10,
                        List.of("noop"),
                        List.of(),
                        Limits.Full.NONE,
                        new ClaimFrom(a1.negPriority, a1.id))
                    .stream()
                    .map(r -> r.taskId)
                    .toList());

    // the front's order after a1; not h (a higher priority) nor a1 itself
    assertThat(behindA1).containsExactly("a2", "b1", "b2", "c1");
  }

  @Test
  void aClaimFromAnEntryStartsItsIndexRangeBehindIt() throws Exception {
    store.run("insert attempts", m -> m.insertAttempts(List.of(attempt("a", 0))));
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        // the claim statement's WHERE and ORDER BY as the mapper writes them with a ClaimFrom
        ResultSet rs =
            s.executeQuery(
                "EXPLAIN FORMAT=JSON SELECT id FROM t_job_run FORCE INDEX (idx_job_run_claim)"
                    + " WHERE state = 'READY' AND ready_at <= 10"
                    + " AND ((neg_priority = 0 AND id > 7) OR neg_priority > 0)"
                    + " AND task_type IN ('noop') AND label IN ('')"
                    + " ORDER BY neg_priority, id LIMIT 10")) {
      rs.next();
      String plan = rs.getString(1).replaceAll("\\s+", "");
      // a range on (state, neg_priority, id): the scan seeks behind the entry instead of walking
      // the READY range from its front, where claims leave delete-marked entries behind
      assertThat(plan)
          .contains("\"key\":\"idx_job_run_claim\"")
          .contains("\"used_key_parts\":[\"state\",\"neg_priority\",\"id\"]")
          .doesNotContain("filesort");
    }
    assertThat(mapperClaimText())
        .contains("(neg_priority = #{from.negPriority} AND id &gt; #{from.afterId})");
  }

  /** The claim statement as the mapper XML has it (the test above copies its WHERE clause). */
  private static String mapperClaimText() throws Exception {
    try (var in =
        PriorityRangeTest.class
            .getClassLoader()
            .getResourceAsStream("io/flinkplatform/engine/internal/store/StoreMapper.xml")) {
      String xml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      int start = xml.indexOf("<select id=\"selectClaimable\"");
      return xml.substring(start, xml.indexOf("</select>", start));
    }
  }

  private List<Long> negPriorities() throws Exception {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT neg_priority FROM t_job_run ORDER BY neg_priority")) {
      List<Long> out = new java.util.ArrayList<>();
      while (rs.next()) {
        out.add(rs.getLong(1));
      }
      return out;
    }
  }

  private static List<Long> ids(List<AttemptRow> rows) {
    return rows.stream().map(r -> r.id).toList();
  }
}
