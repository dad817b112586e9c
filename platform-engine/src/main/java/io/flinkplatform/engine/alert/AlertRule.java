package io.flinkplatform.engine.alert;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;

/**
 * A rule of a workspace: on what ({@link #kind}), for which workflows, tasks or labels, how urgent,
 * to which channels, with which text, and how often at most. Build one with {@link #on(String,
 * AlertKind)}; saved with {@code PlatformClient.alerts().putRule(rule)}, which checks it and
 * answers with an {@code InvalidRequestException} naming the field at fault.
 *
 * @param name unique in the workspace: a letter or digit, then letters, digits, {@code . _ -}
 * @param kind what it fires on
 * @param severity how urgent
 * @param channels names of the workspace's channels to send to (at least one)
 * @param workflow only runs of workflows whose name matches ({@code *} matches any characters), or
 *     {@code null} for all
 * @param task only tasks whose id matches (task kinds only), or {@code null} for all
 * @param label only tasks with this routing label (task kinds only), or {@code null} for all
 * @param after for {@link AlertKind#needsDuration() overdue and outage kinds}: how long is too long
 * @param deadline for {@link AlertKind#RUN_DEADLINE}: the time of day by which runs must be done
 * @param zone the zone of {@code deadline} (UTC when not given)
 * @param threshold for {@link AlertKind#FLINK_CHECKPOINTS_FAILING}: failed checkpoints in a row
 * @param template the text, with {@code {fact}} placeholders ({@code {run}}, {@code {workflow}},
 *     {@code {task}}, {@code {state}}, {@code {message}}, {@code {link}}...), or {@code null} for
 *     the kind's default
 * @param rateLimit at most one alert per workflow (per rule) in this window; the ones held back are
 *     sent as one digest when it ends; {@link Duration#ZERO} sends every alert
 * @param enabled whether it raises alerts
 */
public record AlertRule(
    String name,
    AlertKind kind,
    Severity severity,
    List<String> channels,
    String workflow,
    String task,
    String label,
    Duration after,
    LocalTime deadline,
    ZoneId zone,
    int threshold,
    String template,
    Duration rateLimit,
    boolean enabled) {

  /** The window of {@link #rateLimit} when a rule does not say. */
  public static final Duration DEFAULT_RATE_LIMIT = Duration.ofMinutes(10);

  /** The {@link #threshold} when a rule does not say. */
  public static final int DEFAULT_THRESHOLD = 3;

  public AlertRule {
    requireNonNull(name, "name is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(severity, "severity is null");
    channels = List.copyOf(requireNonNull(channels, "channels is null"));
    requireNonNull(rateLimit, "rateLimit is null");
    if (zone == null) {
      zone = java.time.ZoneOffset.UTC;
    }
  }

  /** A rule named {@code name} on {@code kind}, to be completed with the {@code with} methods. */
  public static AlertRule on(String name, AlertKind kind) {
    return new AlertRule(
        name,
        kind,
        switch (kind) {
          case RUN_SUCCEEDED, BACKFILL_FINISHED, TEST -> Severity.INFO;
          case RUN_FAILED,
              TASK_FAILED,
              FLINK_JOB_FAILING,
              INSTANCE_LOST,
              DATABASE_UNREACHABLE,
              RUN_DEADLINE ->
              Severity.CRITICAL;
          default -> Severity.WARNING;
        },
        List.of(),
        null,
        null,
        null,
        null,
        null,
        null,
        DEFAULT_THRESHOLD,
        null,
        DEFAULT_RATE_LIMIT,
        true);
  }

  public AlertRule withSeverity(Severity s) {
    return new AlertRule(
        name, kind, s, channels, workflow, task, label, after, deadline, zone, threshold, template,
        rateLimit, enabled);
  }

  public AlertRule withChannels(String... names) {
    return new AlertRule(
        name,
        kind,
        severity,
        List.of(names),
        workflow,
        task,
        label,
        after,
        deadline,
        zone,
        threshold,
        template,
        rateLimit,
        enabled);
  }

  public AlertRule withWorkflow(String pattern) {
    return new AlertRule(
        name, kind, severity, channels, pattern, task, label, after, deadline, zone, threshold,
        template, rateLimit, enabled);
  }

  public AlertRule withTask(String pattern) {
    return new AlertRule(
        name, kind, severity, channels, workflow, pattern, label, after, deadline, zone, threshold,
        template, rateLimit, enabled);
  }

  public AlertRule withLabel(String l) {
    return new AlertRule(
        name, kind, severity, channels, workflow, task, l, after, deadline, zone, threshold,
        template, rateLimit, enabled);
  }

  public AlertRule withAfter(Duration d) {
    return new AlertRule(
        name, kind, severity, channels, workflow, task, label, d, deadline, zone, threshold,
        template, rateLimit, enabled);
  }

  public AlertRule withDeadline(LocalTime time, ZoneId z) {
    return new AlertRule(
        name, kind, severity, channels, workflow, task, label, after, time, z, threshold, template,
        rateLimit, enabled);
  }

  public AlertRule withThreshold(int n) {
    return new AlertRule(
        name, kind, severity, channels, workflow, task, label, after, deadline, zone, n, template,
        rateLimit, enabled);
  }

  public AlertRule withTemplate(String t) {
    return new AlertRule(
        name, kind, severity, channels, workflow, task, label, after, deadline, zone, threshold, t,
        rateLimit, enabled);
  }

  public AlertRule withRateLimit(Duration window) {
    return new AlertRule(
        name, kind, severity, channels, workflow, task, label, after, deadline, zone, threshold,
        template, window, enabled);
  }

  public AlertRule withEnabled(boolean on) {
    return new AlertRule(
        name, kind, severity, channels, workflow, task, label, after, deadline, zone, threshold,
        template, rateLimit, on);
  }
}
