package io.flinkplatform.tasks.flink;

import static org.apache.flink.runtime.checkpoint.CheckpointStatsStatus.COMPLETED;
import static org.apache.flink.runtime.checkpoint.CheckpointStatsStatus.FAILED;
import static org.apache.flink.runtime.checkpoint.CheckpointStatsStatus.IN_PROGRESS;
import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.spi.PluginAlerts;
import io.flinkplatform.tasks.flink.Clusters.HistoryEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.JobStatus;
import org.junit.jupiter.api.Test;

/**
 * How failed checkpoints in a row are counted from a job's checkpoint history, and the key that
 * makes one streak raise once.
 */
class CheckpointStreakTest {
  @Test
  void countsTheFailuresSinceTheNewestCompletedCheckpointSkippingSavepointsAndOnesInProgress() {
    List<HistoryEntry> history =
        List.of(
            new HistoryEntry(7, IN_PROGRESS, false),
            new HistoryEntry(6, FAILED, false),
            new HistoryEntry(5, FAILED, true), // a savepoint: not a checkpoint failure
            new HistoryEntry(4, FAILED, false),
            new HistoryEntry(3, COMPLETED, false),
            new HistoryEntry(2, FAILED, false));
    assertThat(Clusters.failedInARow(history, 3)).containsExactly(2, 3);
  }

  @Test
  void aHistoryOfOnlyFailuresFollowsTheLastCompletedCheckpointTheClusterReports() {
    List<HistoryEntry> history =
        List.of(new HistoryEntry(11, FAILED, false), new HistoryEntry(12, FAILED, false));
    assertThat(Clusters.failedInARow(history, 9)).containsExactly(2, 9);
    assertThat(Clusters.failedInARow(List.of(new HistoryEntry(12, COMPLETED, false)), 12))
        .containsExactly(0, 12);
  }

  @Test
  void oneStreakIsOneKeyWhateverItsLengthAndTheNextStreakAnother() {
    List<String> raised = new ArrayList<>();
    PluginAlerts recorder =
        (kind, workspace, key, facts) ->
            raised.add(
                kind + " " + key + " " + facts.get("failedCheckpoints") + " " + facts.get("link"));
    JobAlerts alerts = new JobAlerts(recorder);
    JobAlerts.Subject subject = new JobAlerts.Subject("default", "wf", "t", 5, 1);
    FlinkJobInfo job = StateRetentionTest.job();
    JobView view = new JobView(Optional.of(JobStatus.RUNNING), 0, Optional.empty(), 41);

    alerts.polled(subject, job, JobStatus.RUNNING, view);
    alerts.polled(subject, job, JobStatus.RUNNING, view.withFailedCheckpoints(2, 41));
    alerts.polled(subject, job, JobStatus.RUNNING, view.withFailedCheckpoints(3, 41));
    alerts.polled(subject, job, JobStatus.RUNNING, view.withFailedCheckpoints(1, 44));

    String id = job.jobId();
    String link = "http://127.0.0.1:1/#/job/running/" + id + "/overview";
    assertThat(raised)
        .as("no raise while none failed; the engine compares the count with each rule")
        .containsExactly(
            "FLINK_CHECKPOINTS_FAILING " + id + ":cp:after:41 2 " + link,
            "FLINK_CHECKPOINTS_FAILING " + id + ":cp:after:41 3 " + link,
            "FLINK_CHECKPOINTS_FAILING " + id + ":cp:after:44 1 " + link);
  }

  @Test
  void aRestartRaisesWhenTheCountGrewSinceTheLastPollOrWhileRestarting() {
    List<String> raised = new ArrayList<>();
    JobAlerts alerts = new JobAlerts((kind, ws, key, facts) -> raised.add(kind + " " + key));
    JobAlerts.Subject subject = new JobAlerts.Subject("default", "wf", "t", 5, 1);
    FlinkJobInfo seen = StateRetentionTest.job(); // the last poll recorded 0 restarts
    String id = seen.jobId();

    alerts.polled(subject, seen, JobStatus.RUNNING, new JobView(running(), 2, none(), -1));
    alerts.polled(subject, seen, JobStatus.RESTARTING, new JobView(restarting(), -1, none(), -1));
    FlinkJobInfo sameCount = withRestarts(seen, 2);
    alerts.polled(subject, sameCount, JobStatus.RUNNING, new JobView(running(), 2, none(), -1));

    assertThat(raised)
        .containsExactly(
            "FLINK_JOB_RESTARTING " + id + ":restart:2", "FLINK_JOB_RESTARTING " + id + ":restart");
  }

  private static Optional<JobStatus> running() {
    return Optional.of(JobStatus.RUNNING);
  }

  private static Optional<JobStatus> restarting() {
    return Optional.of(JobStatus.RESTARTING);
  }

  private static Optional<String> none() {
    return Optional.empty();
  }

  private static FlinkJobInfo withRestarts(FlinkJobInfo j, long restarts) {
    return new FlinkJobInfo(
        j.attemptId(),
        j.generation(),
        j.jobId(),
        j.workflowName(),
        j.taskId(),
        j.target(),
        j.cluster(),
        j.state(),
        restarts,
        j.lastCheckpoint(),
        j.restoredFrom(),
        j.savepointDir(),
        j.message(),
        j.submittedAt(),
        j.endedAt());
  }
}
