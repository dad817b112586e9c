package io.flinkplatform.tasks.flink;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.apache.flink.api.common.JobID;

/**
 * Deterministic Flink job ids: the same attempt (and restart generation) always gets the same id,
 * so a second submission is rejected by Flink itself and a new owner finds the job again.
 */
final class JobIds {
  private JobIds() {}

  /**
   * The job id of one submission.
   *
   * @param namespace separates platforms (databases) that share a Flink cluster
   * @param attemptId the attempt's id, stable across failovers
   * @param generation 0 for the first submission of the attempt, then 1, 2, ... for restarts
   */
  static JobID of(String namespace, long attemptId, int generation) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] digest =
          sha.digest(
              ("flink-platform/" + namespace + "/" + attemptId + "/" + generation)
                  .getBytes(StandardCharsets.UTF_8));
      ByteBuffer b = ByteBuffer.wrap(digest);
      return new JobID(b.getLong(), b.getLong());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
