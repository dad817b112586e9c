package io.flinkplatform.tasks.flink;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.spi.ApiFailure;

/**
 * A savepoint or stop-with-savepoint happened on the cluster (it cannot be undone: a stopped job
 * stays FINISHED, the savepoint stays on disk) but its record in {@code t_savepoint} failed twice.
 * The action is audited all the same, by an audit row written alone that says the savepoint was not
 * recorded ({@link #audited()}); if even that failed, the server's log has an ERROR line naming the
 * actor, workspace, action, job and path. The message names no database error (the log has it, and
 * so does the cause); the console answers 500 with this exception's fields.
 */
public final class SavepointNotRecordedException extends FlinkTaskException implements ApiFailure {
  private static final long serialVersionUID = 1L;
  private final String action;
  private final String jobId;
  private final String path;
  private final boolean audited;

  SavepointNotRecordedException(
      String action, String jobId, String path, boolean audited, Throwable cause) {
    super(
        "the "
            + (FlinkRuntime.STOP_ACTION.equals(action) ? "stop-with-savepoint" : "savepoint")
            + " of Flink job "
            + jobId
            + " happened (savepoint "
            + path
            + ") but could not be recorded"
            + (audited
                ? "; the audit trail has its row"
                : "; it is not in the audit trail either, the server's log has it"),
        cause);
    this.action = requireNonNull(action, "action is null");
    this.jobId = requireNonNull(jobId, "jobId is null");
    this.path = requireNonNull(path, "path is null");
    this.audited = audited;
  }

  /** The audit action of what happened: {@code flink.savepoint} or {@code flink.stop}. */
  public String action() {
    return action;
  }

  /** The Flink job (hex) the action was on. */
  public String jobId() {
    return jobId;
  }

  /** Where the cluster wrote the savepoint. */
  public String path() {
    return path;
  }

  /** Whether the audit row of the action was written (alone, saying the record failed). */
  public boolean audited() {
    return audited;
  }

  /** 500: the platform failed to store what happened; the request did not conflict. */
  @Override
  public int status() {
    return 500;
  }
}
