package io.flinkplatform.engine.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.flinkplatform.engine.SchemaMode;
import io.flinkplatform.engine.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A run's state is in idx_flow_run_schedule and idx_flow_run_backfill only when the run has a
 * schedule or a backfill (V16): the generated columns follow the state of those runs and stay NULL
 * for the others, they are stored (an index on the virtual form answered wrongly while runs were
 * updated, which BackfillTest's parallelism caught), and the statements that look runs up by
 * schedule or backfill can use their index.
 */
class RunStateIndexesTest {
  private HikariDataSource ds;
  private List<Long> runs;

  @BeforeEach
  void migrate() throws Exception {
    ds = TestDatabase.get().newDatabase();
    Schema.apply(ds, SchemaMode.MIGRATE);
    Store store = new Store(ds);
    runs = StoreRows.runs(store, StoreRows.flow(store), 300);
    // by position i in the list: a third scheduled (ten schedules), a third of ten backfills, a
    // third neither; as in a history, most runs ended
    long first = runs.get(0);
    String i = "(id - " + first + ")";
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.executeUpdate(
          "UPDATE t_job_flow_run SET state = IF(" + i + " % 10 < 2, 'CREATED', 'SUCCESS')");
      s.executeUpdate(
          "UPDATE t_job_flow_run SET schedule_id = "
              + i
              + " % 10, fire_time = "
              + i
              + " WHERE "
              + i
              + " % 3 = 0");
      s.executeUpdate(
          "UPDATE t_job_flow_run SET backfill_id = " + i + " % 10 WHERE " + i + " % 3 = 1");
      s.execute("ANALYZE TABLE t_job_flow_run");
    }
  }

  @AfterEach
  void close() {
    ds.close();
  }

  @Test
  void theGeneratedStatesFollowTheStateOfScheduledAndBackfillRunsOnly() throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE t_job_flow_run SET state = 'RUNNING' WHERE id IN " + firstThree());
      try (ResultSet rs =
          s.executeQuery(
              "SELECT state, schedule_state, backfill_state FROM t_job_flow_run WHERE id IN "
                  + firstThree()
                  + " ORDER BY id")) {
        while (rs.next()) {
          rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
        }
      }
    }
    assertThat(rows)
        .containsExactly("RUNNING RUNNING null", "RUNNING null RUNNING", "RUNNING null null");
  }

  @Test
  void theGeneratedStatesAreStored() throws Exception {
    List<String> columns = new ArrayList<>();
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT COLUMN_NAME, EXTRA FROM information_schema.COLUMNS"
                    + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 't_job_flow_run'"
                    + " AND COLUMN_NAME LIKE '%\\_state' ORDER BY COLUMN_NAME")) {
      while (rs.next()) {
        columns.add(rs.getString(1) + " " + rs.getString(2));
      }
    }
    assertThat(columns)
        .containsExactly("backfill_state STORED GENERATED", "schedule_state STORED GENERATED");
  }

  @Test
  void theLockOfAScheduleCreatedRunsUsesBothKeyParts() throws Exception {
    // the statement as StoreMapper.xml writes it (lockCreatedRunsOfSchedule)
    assertThat(
            plan(
                "SELECT id FROM t_job_flow_run FORCE INDEX (idx_flow_run_schedule)"
                    + " WHERE schedule_id = 3 AND schedule_state = 'CREATED'"
                    + " ORDER BY schedule_state, id FOR UPDATE"))
        .contains("\"key\":\"idx_flow_run_schedule\"")
        .contains("\"used_key_parts\":[\"schedule_id\",\"schedule_state\"]")
        .doesNotContain("\"filesort\":{") // MariaDB's form
        .doesNotContain("\"using_filesort\":true"); // MySQL's
  }

  @Test
  void lookupsByScheduleOrBackfillCanUseTheirIndex() throws Exception {
    // the WHERE clauses as StoreMapper.xml writes them; which of the two indexes that start with
    // schedule_id serves a schedule's lookups is the optimizer's choice by its statistics
    for (String sql :
        List.of(
            "SELECT id FROM t_job_flow_run WHERE schedule_id = 3"
                + " AND schedule_state IN ('CREATED', 'RUNNING', 'KILLING')",
            "SELECT id, schedule_id, state FROM t_job_flow_run WHERE schedule_id IN (3, 4)"
                + " AND schedule_state IN ('CREATED', 'RUNNING', 'KILLING')")) {
      assertThat(plan(sql))
          .as(sql)
          .containsAnyOf("\"key\":\"idx_flow_run_schedule\"", "\"key\":\"uk_flow_run_fire\"")
          .doesNotContain("\"ALL\"");
    }
    for (String sql :
        List.of(
            "SELECT id FROM t_job_flow_run WHERE backfill_id = 4"
                + " AND backfill_state IN ('CREATED', 'RUNNING', 'KILLING')",
            "SELECT backfill_state AS state, COUNT(*) AS count FROM t_job_flow_run"
                + " WHERE backfill_id = 4 GROUP BY backfill_state")) {
      assertThat(plan(sql))
          .as(sql)
          .contains("\"key\":\"idx_flow_run_backfill\"")
          .doesNotContain("\"ALL\"");
    }
  }

  private String plan(String sql) throws Exception {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("EXPLAIN FORMAT=JSON " + sql)) {
      rs.next();
      return rs.getString(1).replaceAll("\\s+", "");
    }
  }

  private String firstThree() {
    return "(" + runs.get(0) + ", " + runs.get(1) + ", " + runs.get(2) + ")";
  }
}
