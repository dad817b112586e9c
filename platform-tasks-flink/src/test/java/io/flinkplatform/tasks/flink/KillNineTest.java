package io.flinkplatform.tasks.flink;

import static io.flinkplatform.tasks.flink.LocalTargetTest.assertRun;
import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.TestPlatforms;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} of the instance running a session job: the job keeps running, and the instance
 * that takes the attempt over re-attaches to it (its installation-derived id and its mark check
 * out) instead of submitting it again.
 */
class KillNineTest {

  @Test
  void aJobOfAKilledInstanceIsReattachedNotLostOrSubmittedTwice() throws Exception {
    try (SessionCluster session = new SessionCluster(2);
        TestPlatforms platforms = new TestPlatforms()) {
      FlinkTaskPlugin watcher = new FlinkTaskPlugin();
      // deploys, triggers and reads; runs nothing itself
      PlatformClient client =
          platforms.start("watcher", b -> b.plugin(watcher).workerThreads(0)).client();
      client.deploy(
          Workflow.builder("stream")
              .task("s", "flink_sql", t -> t.option("sql", JobIdentityTest.STREAM))
              .build());
      Process doomed = FlinkChildInstance.launch(platforms.jdbcUrl(), "doomed", session.port);
      try {
        long run = client.trigger("stream");
        Await.until(
            Duration.ofSeconds(90),
            () ->
                client.attempts(run).stream()
                    .anyMatch(
                        a ->
                            watcher
                                .jobs()
                                .job(a.id())
                                .map(j -> j.state().equals("RUNNING"))
                                .orElse(false)));
        TaskAttempt a = client.attempts(run).get(0);
        String jobId = watcher.jobs().job(a.id()).orElseThrow().jobId();
        assertThat(a.owner().orElseThrow()).startsWith("doomed#");

        doomed.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertThat(status(session, jobId)).isEqualTo(JobStatus.RUNNING);

        platforms.start(
            "survivor",
            b ->
                b.plugin(new FlinkTaskPlugin())
                    .pluginSetting("flink.target", "session")
                    .pluginSetting("flink.poll-interval", "200ms")
                    .pluginSetting("flink.conf.rest.address", "127.0.0.1")
                    .pluginSetting("flink.conf.rest.port", Integer.toString(session.port)));
        Await.until(
            Duration.ofSeconds(60),
            () -> {
              TaskAttempt x = client.attempts(run).get(0);
              return x.state() == TaskState.RUNNING && x.owner().orElse("").startsWith("survivor#");
            });
        assertThat(client.attempts(run)).hasSize(1);
        assertThat(watcher.jobs().jobs("stream", "s"))
            .singleElement()
            .satisfies(j -> assertThat(j.jobId()).isEqualTo(jobId));
        assertThat(
                session.cluster.listJobs().get(10, TimeUnit.SECONDS).stream()
                    .filter(j -> j.getJobId().toHexString().equals(jobId))
                    .count())
            .as("submitted once")
            .isEqualTo(1);

        assertThat(client.kill(run)).isTrue();
        assertRun(client, run, 60, RunState.KILLED);
        Await.until(
            () ->
                SessionTargetTest.exceptionless(
                    () -> status(session, jobId) == JobStatus.CANCELED));
        assertThat(client.log(client.attempts(run).get(0)))
            .contains("re-attached to Flink job " + jobId);
      } finally {
        doomed.destroyForcibly();
      }
    }
  }

  private static JobStatus status(SessionCluster session, String jobId) throws Exception {
    return session.cluster.getJobStatus(JobID.fromHexString(jobId)).get(10, TimeUnit.SECONDS);
  }
}
