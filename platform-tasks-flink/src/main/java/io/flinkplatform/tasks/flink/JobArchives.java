package io.flinkplatform.tasks.flink;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.yarn.configuration.YarnConfigOptions;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the clusters of YARN jobs archive their job when it ends (Flink's {@code
 * jobmanager.archive.fs.dir}), and the failure cause the plugin reads there. A YARN application
 * shuts its Flink cluster down right after its job ended and YARN keeps no diagnostics for it, so a
 * poll that comes after the shutdown cannot ask the cluster why the job failed; Flink writes the
 * job's archive (with its exceptions) before the cluster stops, so the cause is read from there.
 *
 * <p>The directory is the environment's {@code jobmanager.archive.fs.dir} when the operator set one
 * (a History Server reads it; the plugin only reads it). Otherwise it is the plugin's own {@code
 * .flink-platform/job-archive} in Flink's YARN staging directory ({@code yarn.staging-directory},
 * else the home directory of the default file system): there the plugin deletes a job's archive
 * once its end is recorded, and archives older than {@link #RETENTION} at each deployment (a job
 * that ended while no instance polled it, or whose archive was written after its end was seen).
 */
final class JobArchives {
  private static final Logger LOG = LoggerFactory.getLogger(JobArchives.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String OWN_DIRECTORY = ".flink-platform/job-archive";
  static final Duration RETENTION = Duration.ofDays(7);

  private final org.apache.hadoop.conf.Configuration hadoop;
  private final Path dir;
  private final boolean owned;

  private JobArchives(org.apache.hadoop.conf.Configuration hadoop, Path dir, boolean owned) {
    this.hadoop = hadoop;
    this.dir = dir;
    this.owned = owned;
  }

  /** The operator's archive directory of {@code env}, else the plugin's own one. */
  static JobArchives of(Configuration env, org.apache.hadoop.conf.Configuration hadoop)
      throws IOException {
    Optional<String> configured = env.getOptional(JobManagerOptions.ARCHIVE_DIR);
    if (configured.isPresent()) {
      return new JobArchives(hadoop, new Path(configured.get()), false);
    }
    FileSystem fs = FileSystem.get(hadoop);
    Path staging =
        env.getOptional(YarnConfigOptions.STAGING_DIRECTORY)
            .map(Path::new)
            .orElse(fs.getHomeDirectory());
    Path own = new Path(staging, OWN_DIRECTORY);
    return new JobArchives(hadoop, own.getFileSystem(hadoop).makeQualified(own), true);
  }

  /** The value of {@code jobmanager.archive.fs.dir} the job's cluster is given. */
  String directory() {
    return dir.toString();
  }

  /** Whether the plugin deletes archives here (the directory is not the operator's). */
  boolean owned() {
    return owned;
  }

  /**
   * The stack trace of the job's failure as its archive holds it ({@code root-exception} of the
   * archived {@code /jobs/<id>/exceptions}, else the newest entry of its exception history); empty
   * when there is no archive of the job or it names no failure.
   */
  Optional<String> failure(JobID id) throws IOException {
    Path file = new Path(dir, id.toString());
    byte[] bytes;
    try (InputStream in = file.getFileSystem(hadoop).open(file)) {
      bytes = in.readAllBytes();
    } catch (FileNotFoundException e) {
      return Optional.empty();
    }
    String exceptions = "/jobs/" + id + "/exceptions";
    for (JsonNode part : JSON.readTree(bytes).path("archive")) {
      if (part.path("path").asText().equals(exceptions)) {
        JsonNode info = JSON.readTree(part.path("json").asText("{}"));
        String trace = info.path("root-exception").asText("");
        if (trace.isBlank()) {
          trace =
              info.path("exceptionHistory").path("entries").path(0).path("stacktrace").asText("");
        }
        return trace.isBlank() ? Optional.empty() : Optional.of(trace);
      }
    }
    return Optional.empty();
  }

  /** Deletes the archive of a job whose end is recorded, in the plugin's own directory only. */
  void drop(JobID id) {
    if (!owned) {
      return;
    }
    Path file = new Path(dir, id.toString());
    try {
      file.getFileSystem(hadoop).delete(file, false);
    } catch (IOException e) {
      LOG.warn("deleting the archive {} of Flink job {} failed", file, id, e);
    }
  }

  /** Deletes archives older than {@link #RETENTION} from the plugin's own directory. */
  void sweep(Instant now) {
    if (!owned) {
      return;
    }
    long before = now.minus(RETENTION).toEpochMilli();
    try {
      FileSystem fs = dir.getFileSystem(hadoop);
      FileStatus[] files;
      try {
        files = fs.listStatus(dir);
      } catch (FileNotFoundException e) {
        return;
      }
      for (FileStatus f : files) {
        if (f.isFile() && f.getModificationTime() < before) {
          fs.delete(f.getPath(), false);
        }
      }
    } catch (IOException e) {
      LOG.warn("sweeping the Flink job archives in {} failed", dir, e);
    }
  }

  @Override
  public String toString() {
    return "JobArchives[" + dir + (owned ? ", owned" : "") + "]";
  }
}
