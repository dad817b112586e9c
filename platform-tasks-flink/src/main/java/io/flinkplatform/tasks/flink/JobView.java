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
 */
record JobView(
    Optional<JobStatus> status,
    long restarts,
    Optional<String> lastCheckpoint,
    long lastCheckpointId) {

  static JobView unknown() {
    return new JobView(Optional.empty(), -1, Optional.empty(), -1);
  }

  String describe() {
    StringBuilder s = new StringBuilder(status.map(Enum::name).orElse("UNKNOWN"));
    if (restarts >= 0) {
      s.append(", ").append(restarts).append(restarts == 1 ? " restart" : " restarts");
    }
    if (lastCheckpointId >= 0) {
      s.append(", last checkpoint ").append(lastCheckpointId);
    }
    return s.toString();
  }
}
