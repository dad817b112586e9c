package io.flinkplatform.spi;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way a task type lets a value into the text of a script or command as code: the named form
 * {@code ${raw:name}}, replaced by the value as is. It is for what cannot be bound or passed as
 * data (table names, whole clauses, option strings) and is never safe with untrusted values, so the
 * task author opts in per name: every name spliced must be listed in the option {@value #OPTION},
 * or the workflow is refused at deploy ({@link #problems}); {@link #splice} refuses it again at run
 * time, for definitions stored before that rule. Which names hold values is the task type's
 * business.
 */
public final class RawParameters {
  /** The option listing the names a task may splice raw; the same in every task type. */
  public static final String OPTION = "rawParameters";

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{raw:([^}]*)}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

  private RawParameters() {}

  /** The declaration of {@link #OPTION}, described for the task type's texts and names. */
  public static TaskOption declaration(String description) {
    return TaskOption.optional(OPTION, OptionType.STRING_LIST, null, description);
  }

  /** The names {@code text} splices, in order of first appearance. */
  public static Set<String> names(String text) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = PLACEHOLDER.matcher(text);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /**
   * The problems of {@code text}, the value of option {@code option}: one per malformed name, then
   * one per well-formed name that {@link #OPTION} does not list; {@code becomes} says what a value
   * becomes part of ({@code "the SQL"}, {@code "the command"}).
   */
  public static List<String> problems(
      TaskConfig config, String option, String text, String becomes) {
    List<String> allowed = config.stringList(OPTION);
    List<String> problems = new ArrayList<>();
    List<String> unlisted = new ArrayList<>();
    for (String name : names(text)) {
      if (!NAME.matcher(name).matches()) {
        problems.add(
            "'"
                + option
                + "' holds '${raw:"
                + name
                + "}'; a raw parameter is written ${raw:name}, the name made of letters, digits,"
                + " '_', '.' and '-'");
      } else if (!allowed.contains(name)) {
        unlisted.add(
            "'"
                + option
                + "' splices ${raw:"
                + name
                + "} but option '"
                + OPTION
                + "' does not list '"
                + name
                + "'; list it there to let its value become part of "
                + becomes);
      }
    }
    problems.addAll(unlisted);
    return problems;
  }

  /**
   * {@code text} with each {@code ${raw:name}} replaced by {@code values.get(name)}; {@code
   * defined} names what {@code values} holds, for the message of a missing one ({@code
   * "parameters"}).
   *
   * @throws IllegalArgumentException naming a name that {@link #OPTION} does not list, or that has
   *     no value
   */
  public static String splice(
      String text, TaskConfig config, Map<String, String> values, String defined) {
    requireNonNull(values, "values is null");
    List<String> allowed = config.stringList(OPTION);
    Matcher m = PLACEHOLDER.matcher(requireNonNull(text, "text is null"));
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      if (!allowed.contains(name)) {
        throw new IllegalArgumentException(
            "${raw:" + name + "} is not listed in option '" + OPTION + "'");
      }
      String value = values.get(name);
      if (value == null) {
        throw new IllegalArgumentException(
            "parameter '"
                + name
                + "' is used as ${raw:"
                + name
                + "} but not defined; defined "
                + defined
                + ": "
                + new TreeSet<>(values.keySet()));
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** For checks before run time, when values are unknown: each placeholder becomes a plain word. */
  public static String stub(String text) {
    return PLACEHOLDER.matcher(text).replaceAll("raw_value");
  }
}
