package io.flinkplatform.tasks.flink;

import io.flinkplatform.spi.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code t_savepoint} table: the savepoints and retained checkpoints of each task, kept until
 * retention disposes of them.
 */
final class SavepointStore {
  private static final String COLUMNS =
      "id, workflow_name, task_id, attempt_id, job_id, kind, path, created_at, disposed_at";

  private final Jdbc jdbc;
  private final Clock clock;

  SavepointStore(Jdbc jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** Writes the audit row of the action that recorded a savepoint, on the record's connection. */
  @FunctionalInterface
  interface Auditor {
    void audit(Connection connection, SavepointRecord savepoint) throws SQLException;
  }

  /**
   * A savepoint as {@link #record} left it.
   *
   * @param added whether this call added the record (false: the path was recorded already)
   */
  record Recorded(SavepointRecord savepoint, boolean added) {}

  /** Adds a record without an audit row, whether or not the path was recorded already. */
  SavepointRecord insert(
      String workspace,
      String workflow,
      String taskId,
      long attemptId,
      String jobId,
      SavepointRecord.Kind kind,
      String path) {
    return jdbc.call(
        "record " + kind + " " + path + " of " + workflow + "." + taskId,
        c -> insert(c, workspace, workflow, taskId, attemptId, jobId, kind, path));
  }

  /**
   * Records a savepoint of {@code job} once, in one transaction with the audit row of the action
   * that took it, if there is one: the job's row is locked, so instances recording the same path
   * add one record; a path recorded already (and not disposed of) returns that record, and the
   * audit row is written all the same (the action happened). A failure rolls both back.
   */
  Recorded record(
      String workspace,
      FlinkJobInfo job,
      SavepointRecord.Kind kind,
      String path,
      Optional<Auditor> auditor) {
    return Definitions.inTransaction(
        jdbc,
        "record " + kind + " " + path + " of " + job.workflowName() + "." + job.taskId(),
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT job_id FROM t_flink_job WHERE attempt_id = ? AND generation = ?"
                      + " FOR UPDATE")) {
            s.setLong(1, job.attemptId());
            s.setInt(2, job.generation());
            s.executeQuery().close();
          }
          Optional<SavepointRecord> existing;
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM t_savepoint WHERE workspace = ? AND workflow_name = ?"
                      + " AND task_id = ? AND path = ? AND disposed_at IS NULL"
                      + " ORDER BY id LIMIT 1")) {
            s.setString(1, workspace);
            s.setString(2, job.workflowName());
            s.setString(3, job.taskId());
            s.setString(4, path);
            try (ResultSet r = s.executeQuery()) {
              existing = r.next() ? Optional.of(savepoint(r)) : Optional.empty();
            }
          }
          SavepointRecord saved =
              existing.isPresent()
                  ? existing.get()
                  : insert(
                      c,
                      workspace,
                      job.workflowName(),
                      job.taskId(),
                      job.attemptId(),
                      job.jobId(),
                      kind,
                      path);
          if (auditor.isPresent()) {
            auditor.get().audit(c, saved);
          }
          return new Recorded(saved, existing.isEmpty());
        });
  }

  /**
   * Writes an audit row alone, in a transaction of its own: for a cluster action that happened
   * while its record failed, so that the action is audited all the same.
   */
  void auditAlone(String what, Jdbc.Work<?> row) {
    Definitions.inTransaction(jdbc, what, row);
  }

  private SavepointRecord insert(
      Connection c,
      String workspace,
      String workflow,
      String taskId,
      long attemptId,
      String jobId,
      SavepointRecord.Kind kind,
      String path)
      throws SQLException {
    long now = clock.millis();
    long id;
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO t_savepoint (workflow_name, task_id, attempt_id, job_id, kind, path,"
                + " created_at, workspace) VALUES (?,?,?,?,?,?,?,?)",
            Statement.RETURN_GENERATED_KEYS)) {
      s.setString(1, workflow);
      s.setString(2, taskId);
      s.setLong(3, attemptId);
      s.setString(4, jobId);
      s.setString(5, kind.name());
      s.setString(6, path);
      s.setLong(7, now);
      s.setString(8, workspace);
      s.executeUpdate();
      try (ResultSet keys = s.getGeneratedKeys()) {
        keys.next();
        id = keys.getLong(1);
      }
    }
    return new SavepointRecord(
        id,
        workflow,
        taskId,
        attemptId,
        jobId,
        kind,
        path,
        Instant.ofEpochMilli(now),
        Optional.empty());
  }

  /** The savepoints of a task of a workspace's workflow not disposed of, newest first. */
  List<SavepointRecord> ofTask(String workspace, String workflow, String taskId) {
    return jdbc.query(
        "read the savepoints of " + workflow + "." + taskId,
        "SELECT "
            + COLUMNS
            + " FROM t_savepoint WHERE workspace = ? AND workflow_name = ? AND task_id = ?"
            + " AND disposed_at IS NULL ORDER BY id DESC",
        s -> {
          s.setString(1, workspace);
          s.setString(2, workflow);
          s.setString(3, taskId);
        },
        SavepointStore::savepoint);
  }

  /** A savepoint of {@code workspace} (another workspace's is not found). */
  Optional<SavepointRecord> find(String workspace, long id) {
    return jdbc.queryFirst(
        "read savepoint " + id,
        "SELECT " + COLUMNS + " FROM t_savepoint WHERE id = ? AND workspace = ?",
        s -> {
          s.setLong(1, id);
          s.setString(2, workspace);
        },
        SavepointStore::savepoint);
  }

  /** Marks a record disposed; returns false if it was already. */
  boolean markDisposed(long id) {
    long now = clock.millis();
    return jdbc.update(
            "dispose of savepoint " + id,
            "UPDATE t_savepoint SET disposed_at = ? WHERE id = ? AND disposed_at IS NULL",
            s -> {
              s.setLong(1, now);
              s.setLong(2, id);
            })
        == 1;
  }

  private static SavepointRecord savepoint(ResultSet r) throws SQLException {
    return new SavepointRecord(
        r.getLong("id"),
        r.getString("workflow_name"),
        r.getString("task_id"),
        r.getLong("attempt_id"),
        r.getString("job_id"),
        SavepointRecord.Kind.valueOf(r.getString("kind")),
        r.getString("path"),
        Instant.ofEpochMilli(r.getLong("created_at")),
        Jdbc.optionalLong(r, "disposed_at").map(Instant::ofEpochMilli));
  }
}
