package io.flinkplatform.tasks.shell;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.spi.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;

/**
 * The {@code t_shell_process} table, in the platform database. Every call is one statement; a
 * failure is a {@link Jdbc.Failure} naming what was being done.
 */
final class ProcessRecords {
  private static final String COLUMNS =
      "id, host, boot_id, run_id, task_id, attempt_id, attempt, epoch, pid, started_at, token,"
          + " owner_pid, owner_started_at, owner_name, grace_ms";
  private static final String INSERT =
      "INSERT INTO t_shell_process (host, boot_id, run_id, task_id, attempt_id, attempt, epoch,"
          + " pid, started_at, token, owner_pid, owner_started_at, owner_name, grace_ms,"
          + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String ON_HOST =
      "SELECT " + COLUMNS + " FROM t_shell_process WHERE host = ? ORDER BY id";
  private static final String FOR_TASK =
      "SELECT "
          + COLUMNS
          + " FROM t_shell_process WHERE host = ? AND run_id = ? AND task_id = ? ORDER BY id";
  private static final String DELETE = "DELETE FROM t_shell_process WHERE id = ?";

  private final Jdbc jdbc;
  private final Clock clock;

  ProcessRecords(DataSource database, Clock clock) {
    this.jdbc = new Jdbc(requireNonNull(database, "database is null"));
    this.clock = requireNonNull(clock, "clock is null");
  }

  /** Stores a record; returns its id. */
  long insert(ProcessRecord r) {
    return jdbc.insert(
        "record process " + r.process().pid() + " of task " + r.taskId(),
        INSERT,
        s -> {
          s.setString(1, r.host().name());
          s.setString(2, r.host().bootId());
          s.setLong(3, r.runId());
          s.setString(4, r.taskId());
          s.setLong(5, r.attemptId());
          s.setInt(6, r.attempt());
          s.setLong(7, r.epoch());
          s.setLong(8, r.process().pid());
          s.setLong(9, r.process().startMillis());
          s.setString(10, r.token());
          s.setLong(11, r.owner().pid());
          s.setLong(12, r.owner().startMillis());
          s.setString(13, r.ownerName());
          s.setLong(14, r.graceMillis());
          s.setLong(15, clock.millis());
        });
  }

  /** Every record of processes on {@code host}. */
  List<ProcessRecord> onHost(String host) {
    return jdbc.query(
        "read the process records of host " + host,
        ON_HOST,
        s -> s.setString(1, host),
        ProcessRecords::record);
  }

  /** The records of one task of one run on {@code host}. */
  List<ProcessRecord> forTask(String host, long runId, String taskId) {
    return jdbc.query(
        "read the process records of run " + runId + " task " + taskId,
        FOR_TASK,
        s -> {
          s.setString(1, host);
          s.setLong(2, runId);
          s.setString(3, taskId);
        },
        ProcessRecords::record);
  }

  void delete(long id) {
    jdbc.update("delete process record " + id, DELETE, s -> s.setLong(1, id));
  }

  private static ProcessRecord record(ResultSet rs) throws SQLException {
    return new ProcessRecord(
        rs.getLong("id"),
        new Host(rs.getString("host"), rs.getString("boot_id")),
        rs.getLong("run_id"),
        rs.getString("task_id"),
        rs.getLong("attempt_id"),
        rs.getInt("attempt"),
        rs.getLong("epoch"),
        new ProcessIdentity(rs.getLong("pid"), rs.getLong("started_at")),
        rs.getString("token"),
        new ProcessIdentity(rs.getLong("owner_pid"), rs.getLong("owner_started_at")),
        rs.getString("owner_name"),
        rs.getLong("grace_ms"));
  }
}
