package io.flinkplatform.tasks.flink;

import java.util.Optional;
import org.apache.flink.api.common.JobStatus;

/**
 * What a poll learned about a job.
 *
 * @param status the Flink job state, empty if the cluster does not know the job
 * @param restarts how often Flink restarted the job (its {@code numRestarts} metric), -1 if unknown
 * @param lastCheckpoint the external path of the newest completed checkpoint, if any
 * @param lastCheckpointId its id, or -1
 * @param application the state of the cluster's YARN application, for YARN targets
 * @param name the job's name as the cluster lists it, if it was read
 * @param failedCheckpoints checkpoints that failed in a row, newest first, since the last completed
 *     one (0 if none failed or unknown)
 * @param streakAfter the id of the completed checkpoint the failures follow (-1 for none): what
 *     makes a streak one
 */
record JobView(
    Optional<JobStatus> status,
    long restarts,
    Optional<String> lastCheckpoint,
    long lastCheckpointId,
    Optional<String> application,
    Optional<String> name,
    int failedCheckpoints,
    long streakAfter) {

  JobView(
      Optional<JobStatus> status, long restarts, Optional<String> lastCheckpoint, long checkpoint) {
    this(status, restarts, lastCheckpoint, checkpoint, Optional.empty(), Optional.empty(), 0, -1);
  }

  static JobView unknown() {
    return new JobView(Optional.empty(), -1, Optional.empty(), -1);
  }

  JobView withApplication(String application) {
    return new JobView(
        status,
        restarts,
        lastCheckpoint,
        lastCheckpointId,
        Optional.of(application),
        name,
        failedCheckpoints,
        streakAfter);
  }

  JobView withName(String name) {
    return new JobView(
        status,
        restarts,
        lastCheckpoint,
        lastCheckpointId,
        application,
        Optional.ofNullable(name),
        failedCheckpoints,
        streakAfter);
  }

  /** With the checkpoints that failed in a row after checkpoint {@code after}. */
  JobView withFailedCheckpoints(int failed, long after) {
    return new JobView(
        status, restarts, lastCheckpoint, lastCheckpointId, application, name, failed, after);
  }

  String describe() {
    StringBuilder s = new StringBuilder();
    application.ifPresent(a -> s.append(a).append(", Flink "));
    s.append(status.map(Enum::name).orElse("UNKNOWN"));
    if (restarts >= 0) {
      s.append(", ").append(restarts).append(restarts == 1 ? " restart" : " restarts");
    }
    if (lastCheckpointId >= 0) {
      s.append(", last checkpoint ").append(lastCheckpointId);
    }
    if (failedCheckpoints > 0) {
      s.append(", ").append(failedCheckpoints).append(" failed checkpoint(s) in a row");
    }
    return s.toString();
  }
}
