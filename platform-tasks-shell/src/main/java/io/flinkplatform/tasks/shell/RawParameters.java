package io.flinkplatform.tasks.shell;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way to splice a parameter into the text of {@code command} or {@code args}: the named
 * form {@code ${raw:name}}, replaced by the value as is. Anything else reaches the process only as
 * an environment variable. (A plain {@code ${name}} is the shell's own expansion of that variable.)
 */
final class RawParameters {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{raw:([^}]*)}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

  private RawParameters() {}

  /** One problem per malformed placeholder in {@code text}, the value of option {@code option}. */
  static List<String> validate(String option, String text) {
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
   * Replaces every {@code ${raw:name}} by the parameter's value.
   *
   * @throws IllegalArgumentException naming a parameter that is not defined, and the defined ones
   */
  static String splice(String text, Map<String, String> parameters) {
    requireNonNull(text, "text is null");
    requireNonNull(parameters, "parameters is null");
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = parameters.get(m.group(1));
      if (value == null) {
        throw new IllegalArgumentException(
            "parameter '"
                + m.group(1)
                + "' is used as ${raw:"
                + m.group(1)
                + "} but not defined; defined parameters: "
                + new TreeSet<>(parameters.keySet()));
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
