package io.flinkplatform.tasks.flink;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * A savepoint or retained checkpoint of a task's job, kept in {@code t_savepoint}.
 *
 * @param id the record's id; {@code restore_from: savepoint:<id>} restores from it
 * @param workflowName the workflow of the task
 * @param taskId the task
 * @param attemptId the attempt whose job wrote it
 * @param jobId the Flink job id (hex)
 * @param kind how it was taken
 * @param path where it is (a file system URI)
 * @param createdAt when it was recorded
 * @param disposedAt when retention disposed of it, if it did
 */
public record SavepointRecord(
    long id,
    String workflowName,
    String taskId,
    long attemptId,
    String jobId,
    Kind kind,
    String path,
    Instant createdAt,
    Optional<Instant> disposedAt) {

  /** How a savepoint record came to be. */
  public enum Kind {
    /** Triggered while the job kept running. */
    SAVEPOINT,
    /** Taken by stop-with-savepoint; the job ended with it. */
    STOP_SAVEPOINT,
    /** The last completed checkpoint of a job that failed or was cancelled. */
    CHECKPOINT
  }

  public SavepointRecord {
    requireNonNull(workflowName, "workflowName is null");
    requireNonNull(taskId, "taskId is null");
    requireNonNull(jobId, "jobId is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(path, "path is null");
    requireNonNull(createdAt, "createdAt is null");
    requireNonNull(disposedAt, "disposedAt is null");
  }
}
