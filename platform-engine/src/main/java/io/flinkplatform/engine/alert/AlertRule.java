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
 * @param deadline for {@link AlertKind#needsDeadline() RUN_DEADLINE and TASK_DEADLINE}: the time of
 *     day by which runs (or tasks) must be done
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

  /**
   * A rule named {@code name} on {@code kind}, with the kind's default severity; see {@link
   * Builder}.
   */
  public static Builder on(String name, AlertKind kind) {
    return new Builder(name, kind);
  }

  /** A builder holding this rule's values, to change some of them. */
  public Builder toBuilder() {
    Builder b = new Builder(name, kind);
    b.severity = severity;
    b.channels = channels;
    b.workflow = workflow;
    b.task = task;
    b.label = label;
    b.after = after;
    b.deadline = deadline;
    b.zone = zone;
    b.threshold = threshold;
    b.template = template;
    b.rateLimit = rateLimit;
    b.enabled = enabled;
    return b;
  }

  /** The severity a rule of {@code kind} has unless it says otherwise. */
  public static Severity defaultSeverity(AlertKind kind) {
    return switch (kind) {
      case RUN_SUCCEEDED, BACKFILL_FINISHED, TEST -> Severity.INFO;
      case RUN_FAILED,
          TASK_FAILED,
          FLINK_JOB_FAILING,
          INSTANCE_LOST,
          DATABASE_UNREACHABLE,
          RUN_DEADLINE,
          TASK_DEADLINE ->
          Severity.CRITICAL;
      default -> Severity.WARNING;
    };
  }

  /** Collects a rule's values; {@link #build()} makes the rule (checked when it is saved). */
  public static final class Builder {
    private final String name;
    private final AlertKind kind;
    private Severity severity;
    private List<String> channels = List.of();
    private String workflow;
    private String task;
    private String label;
    private Duration after;
    private LocalTime deadline;
    private ZoneId zone;
    private int threshold = DEFAULT_THRESHOLD;
    private String template;
    private Duration rateLimit = DEFAULT_RATE_LIMIT;
    private boolean enabled = true;

    private Builder(String name, AlertKind kind) {
      this.name = name;
      this.kind = requireNonNull(kind, "kind is null");
      this.severity = defaultSeverity(kind);
    }

    public Builder severity(Severity s) {
      this.severity = s;
      return this;
    }

    public Builder channels(String... names) {
      this.channels = List.of(names);
      return this;
    }

    public Builder workflow(String pattern) {
      this.workflow = pattern;
      return this;
    }

    public Builder task(String pattern) {
      this.task = pattern;
      return this;
    }

    public Builder label(String l) {
      this.label = l;
      return this;
    }

    public Builder after(Duration d) {
      this.after = d;
      return this;
    }

    public Builder deadline(LocalTime time, ZoneId z) {
      this.deadline = time;
      this.zone = z;
      return this;
    }

    public Builder threshold(int n) {
      this.threshold = n;
      return this;
    }

    public Builder template(String t) {
      this.template = t;
      return this;
    }

    public Builder rateLimit(Duration window) {
      this.rateLimit = window;
      return this;
    }

    public Builder enabled(boolean on) {
      this.enabled = on;
      return this;
    }

    public AlertRule build() {
      return new AlertRule(
          name, kind, severity, channels, workflow, task, label, after, deadline, zone, threshold,
          template, rateLimit, enabled);
    }
  }
}
