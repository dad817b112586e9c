package io.flinkplatform.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.dag.RetryPolicy;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.engine.testing.TestTasks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How external attempts end when their log or their polling fails. */
class ExternalFailureTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @BeforeEach
  void forgetEarlierTests() {
    // keyed by attempt id, which starts at 1 in each test's fresh database
    TestTasks.Process.SUBMISSIONS.clear();
    TestTasks.Process.CANCELS.clear();
    TestTasks.Process.PIDS.clear();
  }

  private static TaskAttempt only(PlatformClient client, long runId) {
    List<TaskAttempt> attempts = client.attempts(runId);
    assertThat(attempts).hasSize(1);
    return attempts.get(0);
  }

  private static void destroy(long attemptId) {
    Long pid = TestTasks.Process.PIDS.get(attemptId);
    if (pid != null) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  @Test
  void aFailedExternalAttemptWhoseLogCannotBeWrittenIsHandedBackWithoutUsingARetry(
      @TempDir Path tmp) throws Exception {
    // the log directory is a file: every log write fails, as on a broken disk
    Path logDir = tmp.resolve("logs");
    Files.writeString(logDir, "not a directory");
    try (TestPlatforms platforms = new TestPlatforms()) {
      PlatformClient client =
          platforms.start("ext-broken-disk", b -> b.logDirectory(logDir)).client();
      client.deploy(
          Workflow.builder("ext_broken_disk")
              .task(
                  "p",
                  "process",
                  t ->
                      t.option("seconds", 1)
                          .option("fail", true)
                          .option("pollMillis", 50)
                          .retry(RetryPolicy.NONE))
              .build());
      long runId = client.trigger("ext_broken_disk");

      // the process ends, the attempt fails and is handed back, claimed again, re-attached,
      // handed back again: the same attempt (no retry used), submitted once
      Await.until(WAIT, () -> only(client, runId).epoch() >= 3);
      TaskAttempt a = only(client, runId);
      assertThat(a.attempt()).isEqualTo(1);
      assertThat(a.state()).isIn(TaskState.READY, TaskState.RUNNING);
      assertThat(TestTasks.Process.SUBMISSIONS).containsEntry(a.id(), 1);
      assertThat(TestTasks.Process.CANCELS).doesNotContainKey(a.id());

      // the disk is back: the failure is recorded, by the same attempt
      Files.delete(logDir);
      Files.createDirectories(logDir);
      assertThat(client.awaitRun(runId, WAIT).state()).isEqualTo(RunState.FAILED);
      TaskAttempt done = only(client, runId);
      assertThat(done.attempt()).isEqualTo(1);
      assertThat(done.message()).hasValue("the process ended; planned failure");
      assertThat(TestTasks.Process.SUBMISSIONS).containsEntry(done.id(), 1);
    }
  }

  @Test
  void anAttemptThatFailsOnPollingStopsItsExternalWorkBeforeItsFailureIsRecorded()
      throws Exception {
    failsOnPollingAndStops("exception", "polling failed 10 times in a row");
  }

  @Test
  void anErrorWhilePollingStopsTheExternalWorkToo() throws Exception {
    failsOnPollingAndStops("error", "LinkageError: poll broken by the test");
  }

  private static void failsOnPollingAndStops(String pollThrows, String message) throws Exception {
    try (TestPlatforms platforms = new TestPlatforms()) {
      PlatformClient client = platforms.start("ext-poll-" + pollThrows).client();
      String name = "ext_poll_" + pollThrows;
      client.deploy(
          Workflow.builder(name)
              .task(
                  "p",
                  "process",
                  t ->
                      t.option("seconds", 600)
                          .option("pollThrows", pollThrows)
                          .option("pollMillis", 20)
                          .retry(RetryPolicy.NONE))
              .build());
      long runId = client.trigger(name);
      Await.until(WAIT, () -> !client.attempts(runId).isEmpty());
      long attemptId = only(client, runId).id();
      try {
        assertThat(client.awaitRun(runId, WAIT).state()).isEqualTo(RunState.FAILED);
        TaskAttempt failed = only(client, runId);
        assertThat(failed.state()).isEqualTo(TaskState.FAILED);
        assertThat(failed.message()).hasValueSatisfying(m -> assertThat(m).contains(message));
        // the plugin was asked to stop the work before the failure was recorded
        assertThat(TestTasks.Process.CANCELS).containsEntry(attemptId, 1);
        long pid = TestTasks.Process.PIDS.get(attemptId);
        Await.until(WAIT, () -> !alive(pid));
        assertThat(client.log(failed)).contains("asked external work " + pid + " to stop");
      } finally {
        destroy(attemptId);
      }
    }
  }
}
