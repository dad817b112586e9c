package io.flinkplatform.tasks.logic;

import io.flinkplatform.spi.ExternalRef;
import io.flinkplatform.spi.ExternalStatus;
import io.flinkplatform.spi.ExternalTaskType;
import io.flinkplatform.spi.OptionType;
import io.flinkplatform.spi.TaskConfig;
import io.flinkplatform.spi.TaskContext;
import io.flinkplatform.spi.TaskOption;
import io.flinkplatform.spi.TaskOutcome;
import io.flinkplatform.spi.WorkspaceAccess;
import io.flinkplatform.spi.Workspaces;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * {@code dependent}: a sensor that waits until runs of other workflows (or of their tasks) in a
 * logical-date window relative to this run's logical date ended in the expected states. It is
 * polled by the engine without holding a worker thread; its wait survives a failover (the start of
 * the wait travels in the external reference).
 */
final class DependentTask implements ExternalTaskType {
  static final String ID = "dependent";

  /** The platform's grants, once the plugin started; empty before, or on a platform without. */
  private final Supplier<Optional<WorkspaceAccess>> access;

  DependentTask(Supplier<Optional<WorkspaceAccess>> access) {
    this.access = access;
  }

  private static final List<String> FINAL_STATES =
      List.of("SUCCESS", "FAILED", "KILLED", "SKIPPED", "UPSTREAM_FAILED");

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String description() {
    return "Waits for runs of other workflows or tasks in a logical-date window.";
  }

  @Override
  public List<TaskOption> options() {
    return List.of(
        TaskOption.required(
            "items",
            OptionType.STRING_LIST,
            "what to wait for: workflow, workflow/task, optionally @window (e.g. a/load@previous_day)"),
        TaskOption.optional(
            "window", OptionType.STRING, "same_day", "the window of items that name none"),
        TaskOption.optional("relation", OptionType.STRING, "AND", "all items, or any item")
            .withAllowedValues("AND", "OR"),
        TaskOption.optional(
            "states",
            OptionType.STRING_LIST,
            List.of("SUCCESS"),
            "the states that satisfy an item (of the latest run of each logical date)"),
        TaskOption.optional(
            "fail_fast",
            OptionType.BOOLEAN,
            true,
            "fail as soon as the outcome is decided by a run that ended in another state;"
                + " if false, keep waiting (for a rerun) until the wait timeout"),
        TaskOption.optional(
            "poll_interval", OptionType.DURATION, "30s", "how often the items are checked"),
        TaskOption.optional(
            "wait_timeout", OptionType.DURATION, "1d", "fail after waiting this long"),
        TaskOption.optional(
            "timezone",
            OptionType.STRING,
            null,
            "the zone in which days, weeks and months start; by default the run's 'timezone'"
                + " parameter, else UTC"));
  }

  @Override
  public List<String> validate(TaskConfig config) {
    List<String> problems = new ArrayList<>();
    List<String> items = config.stringList("items");
    if (items.isEmpty()) {
      problems.add("option 'items' must name at least one workflow");
    }
    for (String item : items) {
      try {
        DependentItem.parse(item);
      } catch (IllegalArgumentException e) {
        problems.add("option 'items': " + e.getMessage());
      }
    }
    try {
      Window.parse(config.requireString("window"));
    } catch (IllegalArgumentException e) {
      problems.add("option 'window': " + e.getMessage());
    }
    for (String s : config.stringList("states")) {
      if (!FINAL_STATES.contains(s)) {
        problems.add("option 'states': '" + s + "' is not one of " + FINAL_STATES);
      }
    }
    for (String d : List.of("poll_interval", "wait_timeout")) {
      Duration v = config.duration(d).orElseThrow();
      if (v.isNegative() || v.isZero()) {
        problems.add("option '" + d + "' must be positive but was " + v);
      }
    }
    config
        .string("timezone")
        .ifPresent(
            z -> {
              try {
                ZoneId.of(z);
              } catch (DateTimeException e) {
                problems.add("option 'timezone': '" + z + "' is not a time zone id (e.g. UTC)");
              }
            });
    return problems;
  }

  /**
   * {@link #validate(TaskConfig)}, and every item naming another workspace's workflow must be
   * granted to {@code workspace} (a grant of kind {@code workflow}); the engine checks it again at
   * every poll, so a revoked grant fails the task.
   */
  @Override
  public List<String> validate(TaskConfig config, String workspace) {
    List<String> problems = new ArrayList<>(validate(config));
    for (String item : config.stringList("items")) {
      DependentItem parsed;
      Workspaces.Ref ref;
      try {
        parsed = DependentItem.parse(item);
        ref = Workspaces.resolve(workspace, parsed.workflow());
      } catch (IllegalArgumentException e) {
        continue; // reported by validate(config)
      }
      if (ref.isIn(workspace)) {
        continue;
      }
      Optional<WorkspaceAccess> grants = access.get();
      if (grants.isEmpty()) {
        problems.add(
            "option 'items': '"
                + item
                + "' names workspace '"
                + ref.workspace()
                + "', but this platform cannot check grants");
      } else if (!grants.get().granted(workspace, WorkspaceAccess.WORKFLOW, ref)) {
        problems.add(
            "option 'items': workflow '"
                + ref.name()
                + "' belongs to workspace '"
                + ref.workspace()
                + "', which has not granted it to workspace '"
                + workspace
                + "'");
      }
    }
    return problems;
  }

  @Override
  public Duration pollInterval(TaskContext context) {
    return context.config().duration("poll_interval").orElseThrow();
  }

  @Override
  public ExternalRef submit(TaskContext context) {
    long since = context.clock().millis();
    context
        .log()
        .line(
            "waiting for "
                + context.config().stringList("items")
                + " ("
                + context.config().requireString("relation")
                + ") for logical date "
                + context.logicalDate());
    return new ExternalRef(
        "dependent-" + context.attemptId(), Map.of("since", Long.toString(since)));
  }

  @Override
  public ExternalStatus poll(TaskContext context, ExternalRef ref) {
    if (context.cancellation().isCancelled()) {
      return ExternalStatus.finished(
          TaskOutcome.failure("stopped waiting: " + context.cancellation().reason()));
    }
    TaskConfig config = context.config();
    Window fallback = Window.parse(config.requireString("window"));
    ZoneId zone = zone(context);
    Set<String> expected = Set.copyOf(config.stringList("states"));
    boolean and = config.requireString("relation").equals("AND");
    boolean failFast = config.bool("fail_fast").orElseThrow();
    List<DependentItem.Check> checks = new ArrayList<>();
    for (String item : config.stringList("items")) {
      try {
        checks.add(
            DependentItem.parse(item)
                .check(
                    context.platform(),
                    fallback,
                    context.logicalDate(),
                    zone,
                    expected,
                    context.runId()));
      } catch (IllegalArgumentException e) {
        // the platform refuses a name this run's workspace may not read (e.g. a revoked grant):
        // waiting longer cannot help
        context.log().line("cannot wait for '" + item + "': " + e.getMessage());
        return ExternalStatus.finished(
            TaskOutcome.fatal("cannot wait for '" + item + "': " + e.getMessage()));
      }
    }
    long satisfied = count(checks, DependentItem.Status.SATISFIED);
    long failed = count(checks, DependentItem.Status.FAILED);
    String detail =
        checks.stream().map(DependentItem.Check::detail).collect(Collectors.joining("; "));
    if (and ? satisfied == checks.size() : satisfied > 0) {
      context.log().line("satisfied: " + detail);
      return ExternalStatus.finished(TaskOutcome.success(Map.of("satisfied", "true")));
    }
    if (failFast && (and ? failed > 0 : failed == checks.size())) {
      context.log().line("cannot be satisfied: " + detail);
      return ExternalStatus.finished(
          TaskOutcome.fatal("dependency ended in a state other than " + expected + ": " + detail));
    }
    long since = Long.parseLong(ref.attributes().getOrDefault("since", "0"));
    Duration timeout = config.duration("wait_timeout").orElseThrow();
    if (context.clock().millis() - since >= timeout.toMillis()) {
      context.log().line("gave up after " + timeout + ": " + detail);
      return ExternalStatus.finished(
          TaskOutcome.failure("still waiting after " + timeout + ": " + detail));
    }
    return ExternalStatus.running(detail);
  }

  /** Nothing runs elsewhere: the next poll simply does not happen. */
  @Override
  public void cancel(TaskContext context, ExternalRef ref) {
    context.log().line("stopped waiting: " + context.cancellation().reason());
  }

  private static long count(List<DependentItem.Check> checks, DependentItem.Status status) {
    return checks.stream().filter(c -> c.status() == status).count();
  }

  /**
   * The option's zone, else the run's zone as date macros read it: the resolved {@code timezone}
   * parameter (the engine fills it from the schedule, backfill or parent run), UTC when absent or
   * blank.
   */
  static ZoneId zone(TaskContext context) {
    String z =
        context
            .config()
            .string("timezone")
            .orElseGet(() -> context.parameters().getOrDefault("timezone", ""));
    return z.isBlank() ? ZoneOffset.UTC : ZoneId.of(z);
  }
}
