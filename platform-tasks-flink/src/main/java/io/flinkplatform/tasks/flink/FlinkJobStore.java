package io.flinkplatform.tasks.flink;

import io.flinkplatform.spi.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code t_flink_job} table: one row per submission of an attempt's Flink job (a generation),
 * written before it is sent and fenced by the attempt's epoch afterwards.
 */
final class FlinkJobStore {
  private static final String COLUMNS =
      "attempt_id, generation, job_id, workflow_name, task_id, target, cluster, state, restarts,"
          + " last_checkpoint, restored_from, savepoint_dir, message, submitted_at, ended_at";
  private static final int MAX_MESSAGE = 2000;

  private final Jdbc jdbc;
  private final Clock clock;

  FlinkJobStore(Jdbc jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /**
   * Records a submission before it is sent. Returns false if the row exists already: another owner
   * of the attempt submitted this generation.
   */
  boolean insert(FlinkJobInfo job, String workspace, long runId, long epoch) {
    long now = clock.millis();
    return jdbc.insertNew(
        "record Flink job " + job.jobId() + " of attempt " + job.attemptId(),
        "INSERT INTO t_flink_job (attempt_id, generation, job_id, workflow_name, task_id,"
            + " run_id, target, cluster, epoch, state, restored_from, savepoint_dir,"
            + " submitted_at, updated_at, workspace) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        s -> {
          s.setLong(1, job.attemptId());
          s.setInt(2, job.generation());
          s.setString(3, job.jobId());
          s.setString(4, job.workflowName());
          s.setString(5, job.taskId());
          s.setLong(6, runId);
          s.setString(7, job.target());
          s.setString(8, job.cluster());
          s.setLong(9, epoch);
          s.setString(10, job.state());
          s.setString(11, job.restoredFrom().orElse(null));
          s.setString(12, job.savepointDir().orElse(null));
          s.setLong(13, now);
          s.setLong(14, now);
          s.setString(15, workspace);
        });
  }

  /** The workspace of the attempt's run, as its first submission recorded it. */
  Optional<String> workspaceOf(long attemptId) {
    return jdbc.queryFirst(
        "read the workspace of attempt " + attemptId,
        "SELECT workspace FROM t_flink_job WHERE attempt_id = ? ORDER BY generation LIMIT 1",
        s -> s.setLong(1, attemptId),
        r -> r.getString(1));
  }

  /** The attempt's newest submission. */
  Optional<FlinkJobInfo> current(long attemptId) {
    return jdbc.queryFirst(
        "read the Flink job of attempt " + attemptId,
        "SELECT "
            + COLUMNS
            + " FROM t_flink_job WHERE attempt_id = ?"
            + " ORDER BY generation DESC LIMIT 1",
        s -> s.setLong(1, attemptId),
        FlinkJobStore::job);
  }

  /** Every submission of a task of a workspace's workflow, newest first. */
  List<FlinkJobInfo> ofTask(String workspace, String workflow, String taskId) {
    return jdbc.query(
        "read the Flink jobs of " + workflow + "." + taskId,
        "SELECT "
            + COLUMNS
            + " FROM t_flink_job WHERE workspace = ? AND workflow_name = ? AND task_id = ?"
            + " ORDER BY submitted_at DESC, attempt_id DESC, generation DESC",
        s -> {
          s.setString(1, workspace);
          s.setString(2, workflow);
          s.setString(3, taskId);
        },
        FlinkJobStore::job);
  }

  /**
   * The newest submission of each of the workspace's attempts, newest first, at most {@code limit}.
   */
  List<FlinkJobInfo> ofWorkspace(String workspace, int limit) {
    return jdbc.query(
        "read the Flink jobs of workspace " + workspace,
        "SELECT "
            + COLUMNS
            + " FROM t_flink_job j WHERE workspace = ? AND generation ="
            + " (SELECT MAX(generation) FROM t_flink_job g WHERE g.attempt_id = j.attempt_id)"
            + " ORDER BY submitted_at DESC, attempt_id DESC LIMIT ?",
        s -> {
          s.setString(1, workspace);
          s.setInt(2, limit);
        },
        FlinkJobStore::job);
  }

  /** The submission with Flink job id {@code jobId} in the workspace (another's is not found). */
  Optional<FlinkJobInfo> byJobId(String workspace, String jobId) {
    return jdbc.queryFirst(
        "read Flink job " + jobId,
        "SELECT " + COLUMNS + " FROM t_flink_job WHERE workspace = ? AND job_id = ?",
        s -> {
          s.setString(1, workspace);
          s.setString(2, jobId);
        },
        FlinkJobStore::job);
  }

  /**
   * Writes what a poll saw, unless a newer owner of the attempt (a higher epoch) wrote already or
   * the submission has ended.
   *
   * @return false if the write was fenced off or the submission had ended
   */
  boolean update(
      long attemptId,
      int generation,
      long epoch,
      String state,
      long restarts,
      String lastCheckpoint,
      String message) {
    long now = clock.millis();
    return jdbc.update(
            "update the Flink job of attempt " + attemptId,
            "UPDATE t_flink_job SET state = ?, restarts = GREATEST(restarts, ?),"
                + " last_checkpoint = COALESCE(?, last_checkpoint),"
                + " message = COALESCE(?, message), epoch = ?, updated_at = ?"
                + " WHERE attempt_id = ? AND generation = ? AND epoch <= ?"
                // an ended submission is final: a late poll (say, of a YARN application whose
                // master came back while the platform waits to resubmit) must not revive it
                + " AND ended_at IS NULL",
            s -> {
              s.setString(1, state);
              s.setLong(2, restarts);
              s.setString(3, lastCheckpoint);
              s.setString(4, truncated(message));
              s.setLong(5, epoch);
              s.setLong(6, now);
              s.setLong(7, attemptId);
              s.setInt(8, generation);
              s.setLong(9, epoch);
            })
        == 1;
  }

  /**
   * Marks a submission ended; returns true only for the call that ended it (so what follows an end,
   * like recording the last checkpoint, happens once).
   */
  boolean markEnded(long attemptId, int generation, long epoch, String state, String message) {
    long now = clock.millis();
    return jdbc.update(
            "end the Flink job of attempt " + attemptId,
            "UPDATE t_flink_job SET state = ?, message = ?, epoch = ?, updated_at = ?,"
                + " ended_at = ? WHERE attempt_id = ? AND generation = ? AND epoch <= ?"
                + " AND ended_at IS NULL",
            s -> {
              s.setString(1, state);
              s.setString(2, truncated(message));
              s.setLong(3, epoch);
              s.setLong(4, now);
              s.setLong(5, now);
              s.setLong(6, attemptId);
              s.setInt(7, generation);
              s.setLong(8, epoch);
            })
        == 1;
  }

  /**
   * The submissions that have not ended, by their last polled state ({@code SUBMITTED} until the
   * first poll), in the whole platform: one grouped count on {@code idx_flink_job_open}.
   */
  Map<String, Long> openByState() {
    Map<String, Long> counts = new HashMap<>();
    jdbc.query(
            "count the open Flink jobs by state",
            "SELECT state, COUNT(*) FROM t_flink_job WHERE ended_at IS NULL GROUP BY state",
            Jdbc.none(),
            r -> Map.entry(r.getString(1), r.getLong(2)))
        .forEach(e -> counts.put(e.getKey(), e.getValue()));
    return counts;
  }

  private static FlinkJobInfo job(ResultSet r) throws SQLException {
    return new FlinkJobInfo(
        r.getLong("attempt_id"),
        r.getInt("generation"),
        r.getString("job_id"),
        r.getString("workflow_name"),
        r.getString("task_id"),
        r.getString("target"),
        r.getString("cluster"),
        r.getString("state"),
        r.getLong("restarts"),
        Optional.ofNullable(r.getString("last_checkpoint")),
        Optional.ofNullable(r.getString("restored_from")),
        Optional.ofNullable(r.getString("savepoint_dir")),
        Optional.ofNullable(r.getString("message")),
        Instant.ofEpochMilli(r.getLong("submitted_at")),
        Jdbc.optionalLong(r, "ended_at").map(Instant::ofEpochMilli));
  }

  private static String truncated(String message) {
    return message == null || message.length() <= MAX_MESSAGE
        ? message
        : message.substring(0, MAX_MESSAGE);
  }
}
