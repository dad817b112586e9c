package io.flinkplatform.spi;

import java.util.Map;

/**
 * How a plugin raises an alert: the platform matches the workspace's alert rules of {@code kind}
 * (their workflow, task and label filters against the facts {@code workflow}, {@code task} and
 * {@code label}), writes one alert per matching rule to its outbox and delivers it like every other
 * alert. The same {@code kind} and {@code key} raise at most once per rule, on any instance and
 * however often they are passed here, so a plugin may call this on every poll that sees the
 * condition.
 */
public interface PluginAlerts {

  /** Raises nothing (a platform without alerts). */
  PluginAlerts NONE = (kind, workspace, key, facts) -> {};

  /**
   * @param kind an alert kind a rule can name, e.g. {@code FLINK_JOB_RESTARTING}
   * @param workspace the workspace of the thing alerted on
   * @param key what makes this occurrence one, e.g. the job id and its restart count
   * @param facts values for the rules' filters and templates (workflow, task, label, run, job,
   *     state, ...); never secrets
   */
  void raise(String kind, String workspace, String key, Map<String, String> facts);
}
