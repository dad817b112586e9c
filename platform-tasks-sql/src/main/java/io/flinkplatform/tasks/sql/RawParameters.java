package io.flinkplatform.tasks.sql;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way to put a parameter into a script as text: the named form {@code ${raw:name}},
 * replaced by the value as is before the script is split. It is for what cannot be bound (table
 * names, whole clauses) and is never safe with untrusted values; {@code ${name}} binds instead.
 */
final class RawParameters {
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

  /** The script with each {@code ${raw:name}} replaced by {@code replacement(name)}. */
  static String splice(String script, Map<String, String> values) {
    requireNonNull(values, "values is null");
    Matcher m = PLACEHOLDER.matcher(requireNonNull(script, "script is null"));
    StringBuilder out = new StringBuilder();
    while (m.find()) {
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
