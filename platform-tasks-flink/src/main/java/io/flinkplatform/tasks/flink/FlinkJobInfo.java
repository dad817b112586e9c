package io.flinkplatform.tasks.flink;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * One Flink job submitted for an attempt, as the plugin recorded it in {@code t_flink_job}.
 *
 * @param attemptId the platform attempt
 * @param generation 0 for the first submission, 1, 2, ... for the supervisor's resubmissions
 * @param jobId the Flink job id (hex), derived from the attempt and generation
 * @param workflowName the workflow
 * @param taskId the task
 * @param target where it runs ({@code local}, {@code session}, ...)
 * @param cluster the cluster's REST address (or YARN application id)
 * @param state the Flink job state last seen ({@code SUBMITTED} before the first poll)
 * @param restarts Flink's restart count last seen, -1 if unknown
 * @param lastCheckpoint the newest completed checkpoint's path last seen
 * @param restoredFrom the savepoint or checkpoint the job started from
 * @param savepointDir where its savepoints go unless a call names a directory
 * @param message why it ended, if it failed
 * @param submittedAt when it was submitted
 * @param endedAt when the plugin saw it end
 */
public record FlinkJobInfo(
    long attemptId,
    int generation,
    String jobId,
    String workflowName,
    String taskId,
    String target,
    String cluster,
    String state,
    long restarts,
    Optional<String> lastCheckpoint,
    Optional<String> restoredFrom,
    Optional<String> savepointDir,
    Optional<String> message,
    Instant submittedAt,
    Optional<Instant> endedAt) {

  public FlinkJobInfo {
    requireNonNull(jobId, "jobId is null");
    requireNonNull(state, "state is null");
    requireNonNull(lastCheckpoint, "lastCheckpoint is null");
    requireNonNull(restoredFrom, "restoredFrom is null");
    requireNonNull(savepointDir, "savepointDir is null");
    requireNonNull(message, "message is null");
    requireNonNull(endedAt, "endedAt is null");
  }
}
