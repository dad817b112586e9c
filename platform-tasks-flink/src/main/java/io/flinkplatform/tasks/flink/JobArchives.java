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
import org.apache.hadoop.fs.permission.FsPermission;
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
 * (a History Server reads it; the plugin only reads it), qualified against the default file system
 * of the Hadoop configuration, and the cluster is given that qualified path. Otherwise it is the
 * plugin's own {@code .flink-platform/job-archive} in Flink's YARN staging directory ({@code
 * yarn.staging-directory}, else the home directory of the default file system), readable by its
 * owner only: there the plugin deletes a job's archive once its end is recorded, and, at most once
 * per {@link #SWEEP_EVERY}, archives older than {@link #RETENTION} (a job that ended while no
 * instance polled it, or whose archive was written after its end was seen).
 *
 * <p>Every operation opens a file system instance of its own: Flink's YARN deployment closes the
 * cached instance of the staging directory's file system when its upload ends.
 */
final class JobArchives {
  private static final Logger LOG = LoggerFactory.getLogger(JobArchives.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String OWN_DIRECTORY = ".flink-platform/job-archive";
  static final FsPermission OWNER_ONLY = new FsPermission((short) 0700);
  static final Duration RETENTION = Duration.ofDays(7);
  static final Duration SWEEP_EVERY = Duration.ofHours(1);

  private final org.apache.hadoop.conf.Configuration hadoop;
  private final Path dir;
  private final boolean owned;
  private Instant swept = Instant.MIN;

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
      return new JobArchives(hadoop, qualified(new Path(configured.get()), hadoop), false);
    }
    Optional<String> staging = env.getOptional(YarnConfigOptions.STAGING_DIRECTORY);
    Path base;
    if (staging.isPresent()) {
      base = new Path(staging.get());
    } else {
      try (FileSystem fs = FileSystem.newInstance(hadoop)) {
        base = fs.getHomeDirectory();
      }
    }
    return new JobArchives(hadoop, qualified(new Path(base, OWN_DIRECTORY), hadoop), true);
  }

  private static Path qualified(Path p, org.apache.hadoop.conf.Configuration hadoop)
      throws IOException {
    try (FileSystem fs = FileSystem.newInstance(p.toUri(), hadoop)) {
      return fs.makeQualified(p);
    }
  }

  /** The value of {@code jobmanager.archive.fs.dir} the job's cluster is given. */
  String directory() {
    return dir.toString();
  }

  /** Whether the plugin deletes archives here (the directory is not the operator's). */
  boolean owned() {
    return owned;
  }

  private Path file(JobID id) {
    return new Path(dir, id.toString());
  }

  private FileSystem open() throws IOException {
    return FileSystem.newInstance(dir.toUri(), hadoop);
  }

  /**
   * Before a deployment: the plugin's own directory exists and is its owner's only, and archives
   * past {@link #RETENTION} are deleted (at most once per {@link #SWEEP_EVERY}). Failures are
   * logged: the cluster then creates the directory itself when it archives.
   */
  void prepare(Instant now) {
    if (!owned) {
      return;
    }
    boolean sweep;
    synchronized (this) {
      sweep = swept.plus(SWEEP_EVERY).isBefore(now);
      if (sweep) {
        swept = now;
      }
    }
    try (FileSystem fs = open()) {
      fs.mkdirs(dir, OWNER_ONLY);
      fs.setPermission(dir, OWNER_ONLY);
      if (sweep) {
        long before = now.minus(RETENTION).toEpochMilli();
        for (FileStatus f : fs.listStatus(dir)) {
          if (f.isFile() && f.getModificationTime() < before) {
            fs.delete(f.getPath(), false);
          }
        }
      }
    } catch (IOException e) {
      LOG.warn("preparing the Flink job archives in {} failed", dir, e);
    }
  }

  /**
   * The stack trace of the job's failure as its archive holds it ({@code root-exception} of the
   * archived {@code /jobs/<id>/exceptions}, else the newest entry of its exception history); empty
   * when there is no archive of the job or it names no failure.
   */
  Optional<String> failure(JobID id) throws IOException {
    byte[] bytes;
    try (FileSystem fs = open();
        InputStream in = fs.open(file(id))) {
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
    try (FileSystem fs = open()) {
      fs.delete(file(id), false);
    } catch (IOException e) {
      LOG.warn("deleting the archive {} of Flink job {} failed", file(id), id, e);
    }
  }

  @Override
  public String toString() {
    return "JobArchives[" + dir + (owned ? ", owned" : "") + "]";
  }
}
