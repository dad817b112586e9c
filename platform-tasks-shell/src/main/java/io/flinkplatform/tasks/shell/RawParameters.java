package io.flinkplatform.tasks.shell;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.spi.OptionType;
import io.flinkplatform.spi.TaskConfig;
import io.flinkplatform.spi.TaskContext;
import io.flinkplatform.spi.TaskOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way to splice a value into the text of {@code command} or {@code args}: the named form
 * {@code ${raw:name}}, replaced by the value as is. Anything else reaches the process only as an
 * environment variable. (A plain {@code ${name}} is the shell's own expansion of that variable.)
 *
 * <p>Splicing turns a value into code, so the task author opts in per name: every name spliced must
 * be listed in the option {@value #OPTION}, or the workflow is refused at deploy. A name is a
 * parameter of the task, or {@code task.key} for an output of a task directly upstream.
 */
final class RawParameters {
  /** The option listing the names a task may splice raw. */
  static final String OPTION = "rawParameters";

  /** The declaration of {@link #OPTION}, the same in the {@code shell} and {@code sql} types. */
  static final TaskOption DECLARATION =
      TaskOption.optional(
          OPTION,
          OptionType.STRING_LIST,
          null,
          "Names that 'command' or 'args' may splice as ${raw:name}: parameters, or task.key for"
              + " an output of a task directly upstream; the value becomes code, so list only"
              + " names whose values you trust.");

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{raw:([^}]*)}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

  private RawParameters() {}

  /**
   * One problem per malformed placeholder in {@code text}, the value of option {@code option}, and
   * per name spliced that {@link #OPTION} does not list.
   */
  static List<String> validate(TaskConfig config, String option, String text) {
    List<String> allowed = config.stringList(OPTION);
    List<String> problems = new ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(text);
    while (m.find()) {
      if (!NAME.matcher(m.group(1)).matches()) {
        problems.add(
            "'"
                + option
                + "' holds '"
                + m.group()
                + "'; a raw parameter is written ${raw:name}, the name made of letters, digits,"
                + " '_', '.' and '-'");
      } else if (!allowed.contains(m.group(1))) {
        problems.add(
            "'"
                + option
                + "' splices ${raw:"
                + m.group(1)
                + "} but option '"
                + OPTION
                + "' does not list '"
                + m.group(1)
                + "'; list it there to let its value become part of the command");
      }
    }
    return problems;
  }

  /** The names {@code text} splices, in order of appearance. */
  static List<String> names(String text) {
    List<String> names = new ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(text);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /**
   * Replaces every {@code ${raw:name}} by the value of the parameter or upstream output ({@code
   * task.key}) of that name.
   *
   * @throws IllegalArgumentException naming a name that {@link #OPTION} does not list, or that has
   *     no value
   */
  static String splice(String text, TaskContext context) {
    requireNonNull(text, "text is null");
    requireNonNull(context, "context is null");
    List<String> allowed = context.config().stringList(OPTION);
    Map<String, String> values = null;
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      if (!allowed.contains(name)) {
        // deploy refuses this; a definition stored before that rule is refused here
        throw new IllegalArgumentException(
            "${raw:" + name + "} is not listed in option '" + OPTION + "'");
      }
      if (values == null) {
        values = values(context);
      }
      String value = values.get(name);
      if (value == null) {
        throw new IllegalArgumentException(
            "parameter '"
                + name
                + "' is used as ${raw:"
                + name
                + "} but not defined; defined parameters and upstream outputs: "
                + new TreeSet<>(values.keySet()));
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The task's parameters, and each upstream output as {@code task.key}. */
  private static Map<String, String> values(TaskContext context) {
    Map<String, String> values = new LinkedHashMap<>(context.parameters());
    context
        .upstreamOutputs()
        .forEach((task, outputs) -> outputs.forEach((k, v) -> values.put(task + "." + k, v)));
    return values;
  }
}
