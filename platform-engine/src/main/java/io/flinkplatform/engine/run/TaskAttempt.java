package io.flinkplatform.engine.run;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One attempt of one task in a run, as stored. Attempts are never overwritten: a retry is a new
 * attempt.
 *
 * @param id the attempt's row id
 * @param runId the workflow run
 * @param taskId the task's id in the workflow
 * @param attempt 1 for the first attempt
 * @param state the attempt's state
 * @param owner the instance that holds (or last held) it
 * @param epoch the fencing epoch of its latest claim
 * @param externalRef the external job's reference, for external tasks
 * @param outputs outputs published by a successful attempt
 * @param message why it failed, was skipped or killed
 * @param logPath where its log is, in the log store
 * @param startedAt when it was claimed
 * @param endedAt when it ended
 * @param rerunBy who created it by a rerun or a manual mark; empty for the platform's own
 * @param killedBy who asked to kill its run while it was not done, if anyone did
 */
public record TaskAttempt(
    long id,
    long runId,
    String taskId,
    int attempt,
    TaskState state,
    Optional<String> owner,
    long epoch,
    Optional<String> externalRef,
    Map<String, String> outputs,
    Optional<String> message,
    Optional<String> logPath,
    Optional<Instant> startedAt,
    Optional<Instant> endedAt,
    Optional<String> rerunBy,
    Optional<String> killedBy) {

  public TaskAttempt {
    outputs = Map.copyOf(outputs);
  }

  /** An attempt nobody reran or killed, as attempts were before workspaces. */
  public TaskAttempt(
      long id,
      long runId,
      String taskId,
      int attempt,
      TaskState state,
      Optional<String> owner,
      long epoch,
      Optional<String> externalRef,
      Map<String, String> outputs,
      Optional<String> message,
      Optional<String> logPath,
      Optional<Instant> startedAt,
      Optional<Instant> endedAt) {
    this(
        id,
        runId,
        taskId,
        attempt,
        state,
        owner,
        epoch,
        externalRef,
        outputs,
        message,
        logPath,
        startedAt,
        endedAt,
        Optional.empty(),
        Optional.empty());
  }

  /** How long the attempt ran, if it started and ended. */
  public Optional<Duration> duration() {
    return startedAt.flatMap(s -> endedAt.map(e -> Duration.between(s, e)));
  }
}
