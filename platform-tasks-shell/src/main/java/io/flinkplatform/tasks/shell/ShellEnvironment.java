package io.flinkplatform.tasks.shell;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.spi.TaskContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the environment of an attempt's process. Values only ever travel as environment variables,
 * never as part of the script text, so they cannot inject commands.
 *
 * <p>Later entries win: the platform's own environment, then {@code UPSTREAM_<TASK>_<KEY>} outputs
 * of upstream tasks, then the task's parameters, then the {@code env} option, then the reserved
 * {@code PLATFORM_*} variables.
 */
final class ShellEnvironment {
  static final String RUN_ID = "PLATFORM_RUN_ID";
  static final String TASK_ID = "PLATFORM_TASK_ID";
  static final String ATTEMPT = "PLATFORM_ATTEMPT";
  static final String FENCING_EPOCH = "PLATFORM_FENCING_EPOCH";
  static final String LOGICAL_DATE = "PLATFORM_LOGICAL_DATE";
  static final String PROCESS_TOKEN = "PLATFORM_PROCESS_TOKEN";

  private ShellEnvironment() {}

  /**
   * Fills {@code target} (a process builder's environment, already holding the inherited one).
   *
   * @param token marks every process of the attempt, see {@link #PROCESS_TOKEN}
   * @return the names of variables that were left out because the operating system cannot hold
   *     their name or value (an empty name, '=' in the name, a NUL character)
   */
  static List<String> fill(
      Map<String, String> target, TaskContext context, ShellOptions options, String token) {
    requireNonNull(target, "target is null");
    requireNonNull(context, "context is null");
    requireNonNull(options, "options is null");
    List<String> skipped = new ArrayList<>();
    Map<String, Map<String, String>> upstream = context.upstreamOutputs();
    if (!upstream.isEmpty()) {
      upstream.forEach(
          (taskId, outputs) ->
              outputs.forEach(
                  (key, value) -> put(target, upstreamName(taskId, key), value, skipped)));
    }
    context.parameters().forEach((name, value) -> put(target, name, value, skipped));
    options.env().forEach((name, value) -> put(target, name, value, skipped));
    put(target, RUN_ID, Long.toString(context.runId()), skipped);
    put(target, TASK_ID, context.taskId(), skipped);
    put(target, ATTEMPT, Integer.toString(context.attemptNumber()), skipped);
    put(target, FENCING_EPOCH, Long.toString(context.fencingEpoch()), skipped);
    put(target, LOGICAL_DATE, context.logicalDate().toString(), skipped);
    put(target, PROCESS_TOKEN, requireNonNull(token, "token is null"), skipped);
    return List.copyOf(skipped);
  }

  /** {@code UPSTREAM_<TASKID>_<KEY>}, upper case, every character but A-Z and 0-9 becomes '_'. */
  static String upstreamName(String taskId, String key) {
    return "UPSTREAM_" + sanitize(taskId) + "_" + sanitize(key);
  }

  /** Whether the operating system accepts {@code name} as a variable name. */
  static boolean isValidName(String name) {
    return !name.isEmpty() && name.indexOf('=') < 0 && name.indexOf('\0') < 0;
  }

  private static void put(
      Map<String, String> target, String name, String value, List<String> skipped) {
    if (isValidName(name) && value != null && value.indexOf('\0') < 0) {
      target.put(name, value);
    } else {
      skipped.add(name);
    }
  }

  private static String sanitize(String text) {
    return text.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }
}
