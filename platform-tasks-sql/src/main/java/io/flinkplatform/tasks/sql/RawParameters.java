package io.flinkplatform.tasks.sql;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.spi.OptionType;
import io.flinkplatform.spi.TaskConfig;
import io.flinkplatform.spi.TaskOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way to put a parameter into a script as text: the named form {@code ${raw:name}},
 * replaced by the value as is before the script is split. It is for what cannot be bound (table
 * names, whole clauses) and is never safe with untrusted values; {@code ${name}} binds instead.
 *
 * <p>Splicing turns a value into code, so the task author opts in per name: every name spliced must
 * be listed in the option {@value #OPTION}, or the workflow is refused at deploy. Names are those
 * of {@link SqlParameters} (parameters, {@code upstream.task.key}, {@code platform.*}).
 */
final class RawParameters {
  /** The option listing the names a task may splice raw; the shell type has the same one. */
  static final String OPTION = "rawParameters";

  /** The declaration of {@link #OPTION}. */
  static final TaskOption DECLARATION =
      TaskOption.optional(
          OPTION,
          OptionType.STRING_LIST,
          null,
          "Names that 'script' may splice as ${raw:name}: parameters, upstream.task.key or"
              + " platform.*; the value becomes SQL, so list only names whose values you trust.");

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{raw:([^}\\n]*)}");

  private RawParameters() {}

  /** The names spliced, in order of first appearance. */
  static Set<String> names(String script) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = PLACEHOLDER.matcher(script);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** The names that are not well formed. */
  static Set<String> malformed(String script) {
    Set<String> bad = new LinkedHashSet<>();
    for (String name : names(script)) {
      if (!ScriptParser.NAME.matcher(name).matches()) {
        bad.add(name);
      }
    }
    return bad;
  }

  /** One problem per well-formed name spliced that {@link #OPTION} does not list. */
  static List<String> notListed(TaskConfig config, String script) {
    List<String> allowed = config.stringList(OPTION);
    List<String> problems = new ArrayList<>();
    for (String name : names(script)) {
      if (ScriptParser.NAME.matcher(name).matches() && !allowed.contains(name)) {
        problems.add(
            "'script' splices ${raw:"
                + name
                + "} but option '"
                + OPTION
                + "' does not list '"
                + name
                + "'; list it there to let its value become part of the SQL");
      }
    }
    return problems;
  }

  /**
   * The script with each {@code ${raw:name}} replaced by its value.
   *
   * @throws IllegalArgumentException naming a name that {@link #OPTION} does not list, or that has
   *     no value
   */
  static String splice(String script, Map<String, String> values, TaskConfig config) {
    requireNonNull(values, "values is null");
    List<String> allowed = config.stringList(OPTION);
    Matcher m = PLACEHOLDER.matcher(requireNonNull(script, "script is null"));
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      if (!allowed.contains(m.group(1))) {
        // deploy refuses this; a definition stored before that rule is refused here
        throw new IllegalArgumentException(
            "${raw:" + m.group(1) + "} is not listed in option '" + OPTION + "'");
      }
      String value = values.get(m.group(1));
      if (value == null) {
        throw new IllegalArgumentException(
            "parameter '"
                + m.group(1)
                + "' is used as ${raw:"
                + m.group(1)
                + "} but not defined; defined parameters: "
                + new TreeSet<>(values.keySet()));
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** For checks before run time, when values are unknown: each becomes a plain word. */
  static String stub(String script) {
    return PLACEHOLDER.matcher(script).replaceAll("raw_value");
  }
}
