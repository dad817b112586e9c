package io.flinkplatform.tasks.flink;

import io.flinkplatform.spi.PluginAlerts;
import io.flinkplatform.spi.TaskContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.JobStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises the Flink alert kinds from what a poll of a job saw, through the platform's {@link
 * PluginAlerts} (which matches the workspace's rules and raises each key once per rule, so calling
 * on every poll is fine):
 *
 * <ul>
 *   <li>{@code FLINK_JOB_RESTARTING} when Flink restarted the job since the last poll (key {@code
 *       <job>:restart:<count>}, a new alert per restart) or it is RESTARTING with an unknown count
 *       (key {@code <job>:restart});
 *   <li>{@code FLINK_JOB_FAILING} when it is FAILING or ended FAILED (key {@code <job>:<state>});
 *   <li>{@code FLINK_CHECKPOINTS_FAILING} while checkpoints fail in a row (fact {@code
 *       failedCheckpoints}; the platform compares it with each rule's threshold), keyed by the
 *       checkpoint the streak follows ({@code <job>:cp:after:<id>}), so a streak raises once per
 *       rule and the next streak anew.
 * </ul>
 *
 * Facts: workflow, task, run, attempt, job, state, message and, when the cluster's address is
 * known, link (the job in the Flink web UI). A failure to raise never fails the poll.
 */
final class JobAlerts {
  private static final Logger LOG = LoggerFactory.getLogger(JobAlerts.class);

  static final String RESTARTING = "FLINK_JOB_RESTARTING";
  static final String FAILING = "FLINK_JOB_FAILING";
  static final String CHECKPOINTS_FAILING = "FLINK_CHECKPOINTS_FAILING";

  private final PluginAlerts alerts;

  JobAlerts(PluginAlerts alerts) {
    this.alerts = alerts == null ? PluginAlerts.NONE : alerts;
  }

  /** Whose job it is: the facts every alert of it carries. */
  record Subject(String workspace, String workflow, String task, long run, long attempt) {
    static Subject of(TaskContext ctx) {
      return new Subject(
          ctx.workspace(), ctx.workflowName(), ctx.taskId(), ctx.runId(), ctx.attemptId());
    }
  }

  /** What a poll of a job that has not ended saw. */
  void polled(Subject ctx, FlinkJobInfo job, JobStatus status, JobView view) {
    if (alerts == PluginAlerts.NONE) {
      return;
    }
    // a restart count that grew since the last poll (job holds what that poll recorded), so that
    // a job that restarted once long ago costs nothing on every later poll
    boolean restarted = view.restarts() > 0 && view.restarts() != job.restarts();
    if (restarted || status == JobStatus.RESTARTING) {
      String key = job.jobId() + ":restart" + (view.restarts() > 0 ? ":" + view.restarts() : "");
      String message =
          view.restarts() > 0
              ? "Flink restarted the job " + view.restarts() + " time(s); it is " + status
              : "the job is RESTARTING";
      raise(RESTARTING, ctx, job, key, status.name(), message, Map.of());
    }
    if (status == JobStatus.FAILING) {
      raise(
          FAILING,
          ctx,
          job,
          job.jobId() + ":FAILING",
          status.name(),
          "the job is FAILING",
          Map.of());
    }
    if (view.failedCheckpoints() > 0) {
      raise(
          CHECKPOINTS_FAILING,
          ctx,
          job,
          job.jobId() + ":cp:after:" + view.streakAfter(),
          status.name(),
          view.failedCheckpoints() + " checkpoint(s) failed in a row",
          Map.of("failedCheckpoints", Integer.toString(view.failedCheckpoints())));
    }
  }

  /** A job that ended FAILED, with its cause. */
  void failed(Subject ctx, FlinkJobInfo job, String cause) {
    if (alerts != PluginAlerts.NONE) {
      raise(FAILING, ctx, job, job.jobId() + ":FAILED", "FAILED", cause, Map.of());
    }
  }

  private void raise(
      String kind,
      Subject ctx,
      FlinkJobInfo job,
      String key,
      String state,
      String message,
      Map<String, String> more) {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("workflow", ctx.workflow());
    facts.put("task", ctx.task());
    facts.put("run", Long.toString(ctx.run()));
    facts.put("attempt", Long.toString(ctx.attempt()));
    facts.put("job", job.jobId());
    facts.put("state", state);
    facts.put("message", message == null ? "" : message);
    link(job).ifPresent(l -> facts.put("link", l));
    facts.putAll(more);
    try {
      alerts.raise(kind, ctx.workspace(), key, facts);
    } catch (RuntimeException e) {
      LOG.warn("could not raise {} for Flink job {}: {}", kind, job.jobId(), e.toString());
    }
  }

  /**
   * The job in its cluster's web UI, when the cluster is known by its REST address (not on YARN).
   */
  static java.util.Optional<String> link(FlinkJobInfo job) {
    String c = job.cluster();
    if (c == null || c.isBlank() || YarnTags.isYarn(c)) {
      return java.util.Optional.empty();
    }
    if (!c.startsWith("http://") && !c.startsWith("https://")) {
      c = "http://" + c;
    }
    return java.util.Optional.of(
        (c.endsWith("/") ? c.substring(0, c.length() - 1) : c)
            + "/#/job/running/"
            + job.jobId()
            + "/overview");
  }
}
