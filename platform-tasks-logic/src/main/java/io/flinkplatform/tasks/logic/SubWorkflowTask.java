package io.flinkplatform.tasks.logic;

import io.flinkplatform.spi.ExternalRef;
import io.flinkplatform.spi.ExternalStatus;
import io.flinkplatform.spi.ExternalTaskType;
import io.flinkplatform.spi.OptionType;
import io.flinkplatform.spi.ParameterNames;
import io.flinkplatform.spi.PlatformAccess;
import io.flinkplatform.spi.PlatformAccess.ChildRun;
import io.flinkplatform.spi.PlatformAccess.RunInfo;
import io.flinkplatform.spi.PlatformAccess.TaskRunInfo;
import io.flinkplatform.spi.TaskConfig;
import io.flinkplatform.spi.TaskContext;
import io.flinkplatform.spi.TaskOption;
import io.flinkplatform.spi.TaskOutcome;
import io.flinkplatform.spi.WorkflowReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code sub_workflow}: runs another workflow as a child run (pinned version, given parameters,
 * this run's logical date), waits for it without holding a thread, and maps its outputs back. A
 * kill of this task kills the child; a child killed by someone else makes this task fail (not
 * retried). Starting the child is idempotent per attempt, so a failover never starts two.
 */
final class SubWorkflowTask implements ExternalTaskType {
  static final String ID = "sub_workflow";
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}]*)}");
  private static final String REFUSED = "refused";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String description() {
    return "Runs another workflow as a child run and waits for it.";
  }

  @Override
  public List<TaskOption> options() {
    return List.of(
        TaskOption.required("workflow", OptionType.STRING, "the workflow to run"),
        TaskOption.optional(
            "version", OptionType.INT, null, "the version to pin; the latest one by default"),
        TaskOption.optional(
            "parameters",
            OptionType.STRING_MAP,
            null,
            "the child run's parameters (names as for any parameter); ${name} inserts a"
                + " parameter of this task, ${task.key} an output of a task upstream"),
        TaskOption.optional(
            "outputs",
            OptionType.STRING_MAP,
            null,
            "output name to childTask.key; by default every output of the child's tasks as"
                + " childTask.key"),
        TaskOption.optional(
            "poll_interval", OptionType.DURATION, "5s", "how often the child run is checked"),
        TaskOption.optional(
            "max_depth", OptionType.INT, 8, "the deepest nesting of child runs allowed"));
  }

  @Override
  public List<String> validate(TaskConfig config) {
    List<String> problems = new ArrayList<>();
    if (config.requireString("workflow").isBlank()) {
      problems.add("option 'workflow' must name a workflow");
    }
    config
        .integer("version")
        .filter(v -> v < 1)
        .ifPresent(v -> problems.add("option 'version' must be 1 or more but was " + v));
    if (config.integer("max_depth").orElseThrow() < 1) {
      problems.add("option 'max_depth' must be 1 or more");
    }
    config
        .stringMap("outputs")
        .forEach(
            (name, source) -> {
              int dot = source.indexOf('.');
              if (dot <= 0 || dot == source.length() - 1) {
                problems.add(
                    "option 'outputs': '"
                        + name
                        + "' must map to childTask.key but was '"
                        + source
                        + "'");
              }
            });
    config
        .stringMap("parameters")
        .forEach(
            (name, value) -> {
              // the child's parameter names are written here, at deploy: the same rule as a
              // trigger's, so that no workflow can hand another one a name its shell interprets
              ParameterNames.problem(name)
                  .ifPresent(p -> problems.add("option 'parameters': " + p));
              Matcher m = REFERENCE.matcher(value);
              while (m.find()) {
                if (m.group(1).isBlank()) {
                  problems.add("option 'parameters': '" + name + "' has an empty ${}");
                }
              }
            });
    Duration poll = config.duration("poll_interval").orElseThrow();
    if (poll.isNegative() || poll.isZero()) {
      problems.add("option 'poll_interval' must be positive but was " + poll);
    }
    return problems;
  }

  @Override
  public List<WorkflowReference> referencedWorkflows(TaskConfig config) {
    return List.of(
        new WorkflowReference(config.requireString("workflow"), config.integer("version")));
  }

  @Override
  public Duration pollInterval(TaskContext context) {
    return context.config().duration("poll_interval").orElseThrow();
  }

  @Override
  public ExternalRef submit(TaskContext context) {
    TaskConfig config = context.config();
    String workflow = config.requireString("workflow");
    PlatformAccess platform = context.platform();
    int depth = platform.run(context.runId()).map(RunInfo::depth).orElse(0) + 1;
    int maxDepth = config.integer("max_depth").orElseThrow();
    if (depth > maxDepth) {
      return refused(
          context,
          "a child run of '"
              + workflow
              + "' would be nested "
              + depth
              + " deep, more than max_depth "
              + maxDepth
              + "; is the workflow starting itself?");
    }
    Map<String, String> parameters;
    ChildRun child;
    try {
      parameters = render(config.stringMap("parameters"), NamedValues.of(context));
      child = platform.startChild(workflow, config.integer("version"), parameters);
    } catch (IllegalArgumentException e) {
      return refused(context, e.getMessage());
    }
    context
        .log()
        .line(
            (child.created() ? "started" : "found the earlier")
                + " child run "
                + child.runId()
                + " of '"
                + workflow
                + "' version "
                + child.workflowVersion()
                + " with parameters "
                + parameters.keySet());
    return new ExternalRef(
        Long.toString(child.runId()),
        Map.of("workflow", workflow, "version", Integer.toString(child.workflowVersion())));
  }

  private static ExternalRef refused(TaskContext context, String reason) {
    context.log().line("not started: " + reason);
    return new ExternalRef(REFUSED, Map.of("reason", reason));
  }

  @Override
  public ExternalStatus poll(TaskContext context, ExternalRef ref) {
    if (ref.id().equals(REFUSED)) {
      return ExternalStatus.finished(TaskOutcome.fatal(ref.attributes().get("reason")));
    }
    long childId = Long.parseLong(ref.id());
    PlatformAccess platform = context.platform();
    Optional<RunInfo> found = platform.run(childId);
    if (found.isEmpty()) {
      return ExternalStatus.finished(TaskOutcome.fatal("child run " + childId + " is gone"));
    }
    RunInfo child = found.get();
    if (!child.ended()) {
      return ExternalStatus.running("child run " + childId + " " + child.state());
    }
    context.log().line("child run " + childId + " ended " + child.state());
    switch (child.state()) {
      case "SUCCESS":
        return outputs(context, platform.tasksOf(childId), childId);
      case "KILLED":
        return ExternalStatus.finished(
            context.cancellation().isCancelled()
                ? TaskOutcome.failure("child run " + childId + " was killed with this task")
                : TaskOutcome.fatal("child run " + childId + " was killed"));
      default:
        return ExternalStatus.finished(
            TaskOutcome.failure("child run " + childId + " ended " + child.state()));
    }
  }

  private static ExternalStatus outputs(
      TaskContext context, Map<String, TaskRunInfo> tasks, long childId) {
    Map<String, String> mapping = context.config().stringMap("outputs");
    Map<String, String> out = new LinkedHashMap<>();
    if (mapping.isEmpty()) {
      tasks.forEach((task, t) -> t.outputs().forEach((k, v) -> out.put(task + "." + k, v)));
    } else {
      for (Map.Entry<String, String> m : mapping.entrySet()) {
        String source = m.getValue();
        int dot = source.indexOf('.');
        TaskRunInfo t = tasks.get(source.substring(0, dot));
        String value = t == null ? null : t.outputs().get(source.substring(dot + 1));
        if (value == null) {
          return ExternalStatus.finished(
              TaskOutcome.fatal(
                  "output '"
                      + m.getKey()
                      + "' maps '"
                      + source
                      + "', which child run "
                      + childId
                      + " did not produce"));
        }
        out.put(m.getKey(), value);
      }
    }
    return ExternalStatus.finished(TaskOutcome.success(out));
  }

  /** Kills the child run; polling then sees it KILLED. */
  @Override
  public void cancel(TaskContext context, ExternalRef ref) {
    if (!ref.id().equals(REFUSED)) {
      boolean killed = context.platform().kill(Long.parseLong(ref.id()));
      context.log().line((killed ? "killed" : "found already ended") + " child run " + ref.id());
    }
  }

  /**
   * Values with each ${name} replaced by this task's parameter (or upstream output) of that name.
   */
  static Map<String, String> render(Map<String, String> values, Map<String, String> parameters) {
    Map<String, String> out = new LinkedHashMap<>();
    values.forEach(
        (key, value) -> {
          Matcher m = REFERENCE.matcher(value);
          StringBuilder sb = new StringBuilder();
          while (m.find()) {
            String v = parameters.get(m.group(1).trim());
            if (v == null) {
              throw new IllegalArgumentException(
                  "parameter '"
                      + key
                      + "' of the child run names ${"
                      + m.group(1)
                      + "}, which is not a parameter of this task");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
          }
          m.appendTail(sb);
          out.put(key, sb.toString());
        });
    return out;
  }
}
