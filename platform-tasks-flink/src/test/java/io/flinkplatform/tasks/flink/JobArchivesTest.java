package io.flinkplatform.tasks.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.history.FsJobArchivist;
import org.apache.flink.runtime.webmonitor.history.ArchivedJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job archives on a local directory, written by Flink's own archivist (the YARN suite reads
 * them on HDFS from real application clusters): the plugin's own directory and the operator's.
 */
class JobArchivesTest {
  private static final String TRACE =
      "org.apache.flink.runtime.JobException: Recovery is suppressed\n\tat x.y(Z.java:1)\n"
          + "Caused by: java.lang.IllegalStateException: planned failure at 7\n\tat a.b(C.java:2)";

  @TempDir Path tmp;

  private JobArchives own() throws Exception {
    Configuration env = new Configuration();
    env.setString("yarn.staging-directory", tmp.resolve("staging").toUri().toString());
    return JobArchives.of(env, new org.apache.hadoop.conf.Configuration());
  }

  private static void archive(String dir, JobID id, Map<String, String> jsonByPath)
      throws Exception {
    List<ArchivedJson> parts =
        jsonByPath.entrySet().stream()
            .map(e -> new ArchivedJson(e.getKey(), e.getValue()))
            .toList();
    FsJobArchivist.archiveJob(new org.apache.flink.core.fs.Path(dir), id, parts);
  }

  /** Archives job {@code id} with {@code json} as its exceptions and nothing else. */
  private static void archiveExceptions(String dir, JobID id, String json) throws Exception {
    archive(dir, id, Map.of("/jobs/" + id + "/exceptions", json));
  }

  private static Path local(JobArchives a) {
    return Path.of(java.net.URI.create(a.directory()));
  }

  @Test
  void theOwnDirectoryIsInTheStagingDirectoryAndItsOwnersOnly() throws Exception {
    JobArchives a = own();
    assertThat(a.owned()).isTrue();
    assertThat(a.directory()).startsWith("file:").endsWith("/staging/" + JobArchives.OWN_DIRECTORY);
    a.prepare(Instant.now());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(local(a))))
        .isEqualTo("rwx------");
  }

  @Test
  void theFailureIsTheRootExceptionOfTheArchivedExceptions() throws Exception {
    JobArchives a = own();
    JobID id = new JobID();
    archive(
        a.directory(),
        id,
        Map.of(
            "/jobs/" + id,
            "{\"state\":\"FAILED\"}",
            "/jobs/" + id + "/exceptions",
            "{\"root-exception\":" + quoted(TRACE) + ",\"exceptionHistory\":{\"entries\":[]}}"));
    assertThat(a.failure(id)).contains(TRACE);
    assertThat(Supervisor.rootCause(a.failure(id).orElseThrow()))
        .isEqualTo(
            "org.apache.flink.runtime.JobException: Recovery is suppressed; caused by"
                + " java.lang.IllegalStateException: planned failure at 7");
  }

  @Test
  void withoutARootExceptionTheNewestEntryOfTheHistoryIsTheFailure() throws Exception {
    JobArchives a = own();
    JobID id = new JobID();
    archiveExceptions(
        a.directory(),
        id,
        "{\"exceptionHistory\":{\"entries\":[{\"stacktrace\":"
            + quoted(TRACE)
            + "},{\"stacktrace\":\"older\"}]}}");
    assertThat(a.failure(id)).contains(TRACE);
  }

  @Test
  void noArchiveOrOneWithoutAFailureIsNoCause() throws Exception {
    JobArchives a = own();
    assertThat(a.failure(new JobID())).isEmpty();
    JobID finished = new JobID();
    archiveExceptions(a.directory(), finished, "{\"exceptionHistory\":{\"entries\":[]}}");
    assertThat(a.failure(finished)).isEmpty();
    JobID other = new JobID();
    archive(a.directory(), other, Map.of("/jobs/" + other, "{\"state\":\"FAILED\"}"));
    assertThat(a.failure(other)).isEmpty();
  }

  @Test
  void theOwnDirectoryLosesAnArchiveWhenDroppedAndOldOnesWhenPrepared() throws Exception {
    JobArchives a = own();
    JobID dropped = new JobID();
    JobID old = new JobID();
    JobID fresh = new JobID();
    for (JobID id : List.of(dropped, old, fresh)) {
      archive(a.directory(), id, Map.of("/jobs/" + id, "{}"));
    }
    Instant now = Instant.now();
    Files.setLastModifiedTime(
        local(a).resolve(old.toString()),
        FileTime.from(now.minus(JobArchives.RETENTION).minus(Duration.ofMinutes(1))));

    a.drop(dropped);
    a.prepare(now);
    try (var files = Files.list(local(a))) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")))
          .containsExactly(fresh.toString());
    }
  }

  @Test
  void theOperatorsDirectoryIsQualifiedReadAndNeverCleaned() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("history"));
    Configuration env = new Configuration();
    env.setString("jobmanager.archive.fs.dir", dir.toString());
    JobArchives a = JobArchives.of(env, new org.apache.hadoop.conf.Configuration());
    assertThat(a.owned()).isFalse();
    assertThat(a.directory()).isEqualTo("file:" + dir);

    JobID id = new JobID();
    archiveExceptions(a.directory(), id, "{\"root-exception\":" + quoted(TRACE) + "}");
    Files.setLastModifiedTime(
        dir.resolve(id.toString()), FileTime.from(Instant.now().minus(Duration.ofDays(30))));
    assertThat(a.failure(id)).contains(TRACE);
    a.drop(id);
    a.prepare(Instant.now());
    assertThat(dir.resolve(id.toString())).exists();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .as("the operator's permissions")
        .isNotEqualTo("rwx------");
  }

  private static String quoted(String s) throws Exception {
    return new org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper()
        .writeValueAsString(s);
  }
}
