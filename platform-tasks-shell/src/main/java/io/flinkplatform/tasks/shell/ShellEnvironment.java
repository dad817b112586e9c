package io.flinkplatform.tasks.shell;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.spi.ParameterNames;
import io.flinkplatform.spi.TaskContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Builds the environment of an attempt's process. Values only ever travel as environment variables,
 * never as part of the script text, so they cannot inject commands; names are checked, so that no
 * parameter can set a variable a shell, the dynamic linker or a runtime acts on.
 *
 * <p>The process does not inherit the JVM's environment, which may hold the platform's secrets. It
 * starts empty and gets, later entries winning: the names of {@link #INHERITED} and every {@code
 * LC_*} that the JVM's environment holds, plus the names the host lists in {@code
 * shell.inheritEnvironment}; then {@code UPSTREAM_<TASK>_<KEY>} outputs of upstream tasks; then the
 * task's parameters whose names {@link ParameterNames#isExportable} accepts; then the {@code env}
 * option; then the reserved {@code PLATFORM_*} variables.
 */
final class ShellEnvironment {
  static final String RUN_ID = "PLATFORM_RUN_ID";
  static final String TASK_ID = "PLATFORM_TASK_ID";
  static final String ATTEMPT = "PLATFORM_ATTEMPT";
  static final String FENCING_EPOCH = "PLATFORM_FENCING_EPOCH";
  static final String LOGICAL_DATE = "PLATFORM_LOGICAL_DATE";
  static final String PROCESS_TOKEN = "PLATFORM_PROCESS_TOKEN";

  /** Names passed on from the JVM's environment when it holds them (and every {@code LC_*}). */
  static final Set<String> INHERITED =
      Set.of("PATH", "HOME", "LANG", "TZ", "JAVA_HOME", "USER", "LOGNAME", "TMPDIR", "SHELL");

  /** What a variable name of the {@code env} option and the inherit setting must look like. */
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** How many names one log line lists at most. */
  private static final int MAX_NAMES_SHOWN = 20;

  /**
   * What {@link #fill} left out.
   *
   * @param refused parameters not exported because {@link ParameterNames} refuses their names,
   *     sorted
   * @param unholdable variables the operating system cannot hold (a NUL character in the value)
   */
  record Omitted(List<String> refused, List<String> unholdable) {
    Omitted {
      refused = List.copyOf(refused);
      unholdable = List.copyOf(unholdable);
    }
  }

  private ShellEnvironment() {}

  /**
   * Replaces everything in {@code target} (a process builder's environment) with the attempt's
   * environment.
   *
   * @param jvmEnvironment the environment of the platform's JVM ({@link System#getenv()})
   * @param inherit names of {@code jvmEnvironment} passed on beyond {@link #INHERITED}
   * @param token marks every process of the attempt, see {@link #PROCESS_TOKEN}
   */
  static Omitted fill(
      Map<String, String> target,
      Map<String, String> jvmEnvironment,
      Set<String> inherit,
      TaskContext context,
      ShellOptions options,
      String token) {
    requireNonNull(target, "target is null");
    requireNonNull(jvmEnvironment, "jvmEnvironment is null");
    requireNonNull(inherit, "inherit is null");
    requireNonNull(context, "context is null");
    requireNonNull(options, "options is null");
    requireNonNull(token, "token is null");
    List<String> refused = new ArrayList<>();
    List<String> unholdable = new ArrayList<>();
    target.clear();
    jvmEnvironment.forEach(
        (name, value) -> {
          if (INHERITED.contains(name) || name.startsWith("LC_") || inherit.contains(name)) {
            put(target, name, value, unholdable);
          }
        });
    context
        .upstreamOutputs()
        .forEach(
            (taskId, outputs) ->
                outputs.forEach(
                    (key, value) -> put(target, upstreamName(taskId, key), value, unholdable)));
    context
        .parameters()
        .forEach(
            (name, value) -> {
              if (ParameterNames.isExportable(name)) {
                put(target, name, value, unholdable);
              } else {
                refused.add(name);
              }
            });
    options.env().forEach((name, value) -> put(target, name, value, unholdable));
    put(target, RUN_ID, Long.toString(context.runId()), unholdable);
    put(target, TASK_ID, context.taskId(), unholdable);
    put(target, ATTEMPT, Integer.toString(context.attemptNumber()), unholdable);
    put(target, FENCING_EPOCH, Long.toString(context.fencingEpoch()), unholdable);
    put(target, LOGICAL_DATE, context.logicalDate().toString(), unholdable);
    put(target, PROCESS_TOKEN, token, unholdable);
    Collections.sort(refused);
    return new Omitted(refused, unholdable);
  }

  /** {@code UPSTREAM_<TASKID>_<KEY>}, upper case, every character but A-Z and 0-9 becomes '_'. */
  static String upstreamName(String taskId, String key) {
    return "UPSTREAM_" + sanitize(taskId) + "_" + sanitize(key);
  }

  /** Whether {@code name} may be a variable of the {@code env} option or the inherit setting. */
  static boolean isIdentifier(String name) {
    return IDENTIFIER.matcher(name).matches();
  }

  /**
   * The names for one log line or message: each cut to {@link ParameterNames#MAX_LENGTH} characters
   * with control characters shown as '?', at most {@value #MAX_NAMES_SHOWN} of them.
   */
  static String printable(List<String> names) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < names.size() && i < MAX_NAMES_SHOWN; i++) {
      b.append(i == 0 ? "" : ", ").append(printable(names.get(i)));
    }
    if (names.size() > MAX_NAMES_SHOWN) {
      b.append(", and ").append(names.size() - MAX_NAMES_SHOWN).append(" more");
    }
    return b.append(']').toString();
  }

  /** One name cut to {@link ParameterNames#MAX_LENGTH} characters, control characters as '?'. */
  static String printable(String name) {
    return printable(name, ParameterNames.MAX_LENGTH);
  }

  /**
   * Author-chosen text (a name, a path) for one log line or message: cut to {@code max} characters,
   * control characters as '?', so that it cannot break the line or forge another.
   */
  static String printable(String name, int max) {
    if (name == null) {
      return "null";
    }
    boolean cut = name.length() > max;
    String shown = cut ? name.substring(0, max) : name;
    StringBuilder b = new StringBuilder(shown.length() + 1);
    shown.codePoints().forEach(c -> b.appendCodePoint(isShown(c) ? c : '?'));
    return cut ? b.append('…').toString() : b.toString();
  }

  /** Not a control, format (bidi override), line separator or lone surrogate character. */
  private static boolean isShown(int c) {
    int type = Character.getType(c);
    return !Character.isISOControl(c)
        && type != Character.FORMAT
        && type != Character.SURROGATE
        && type != Character.LINE_SEPARATOR
        && type != Character.PARAGRAPH_SEPARATOR;
  }

  private static void put(
      Map<String, String> target, String name, String value, List<String> unholdable) {
    if (value != null && value.indexOf('\0') < 0) {
      target.put(name, value);
    } else {
      unholdable.add(name);
    }
  }

  private static String sanitize(String text) {
    return text.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }
}
