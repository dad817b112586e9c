package io.flinkplatform.tasks.flink;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.flink.api.common.JobID;

/**
 * Deterministic Flink job ids and job name marks. The same attempt (and restart generation) of one
 * installation always gets the same id, so a second submission is rejected by Flink itself and a
 * new owner finds the job again; another installation (another platform database, or one of the
 * same name created again) never gets it, because its random installation id differs. The mark
 * appended to the job's name proves that a job found under that id is this attempt's before it is
 * adopted.
 */
final class JobIds {
  private JobIds() {}

  /**
   * The job id of one submission.
   *
   * @param installationId the platform's installation id (PluginContext.installationId())
   * @param attemptId the attempt's id, stable across failovers
   * @param generation 0 for the first submission of the attempt, then 1, 2, ... for restarts
   */
  static JobID of(String installationId, long attemptId, int generation) {
    ByteBuffer b =
        ByteBuffer.wrap(
            sha256("flink-platform/" + installationId + "/" + attemptId + "/" + generation));
    return new JobID(b.getLong(), b.getLong());
  }

  /**
   * What the plugin appends to the name of the job it submits: the attempt, the generation and a
   * tag derived from the installation id (not the job id: whoever sees the job cannot forge the
   * mark of another attempt).
   */
  static String mark(String installationId, long attemptId, int generation) {
    byte[] d = sha256("flink-platform-name/" + installationId + "/" + attemptId + "/" + generation);
    return " [flink-platform attempt "
        + attemptId
        + "/"
        + generation
        + " "
        + HexFormat.of().formatHex(d, 0, 8)
        + "]";
  }

  /** The job name without the mark, as the task or program chose it. */
  static String unmarked(String name) {
    int at = name.lastIndexOf(" [flink-platform attempt ");
    return at < 0 ? name : name.substring(0, at);
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
