package io.flinkplatform.engine.internal.alert;

import io.flinkplatform.engine.InvalidRequestException;
import java.util.regex.Pattern;

/** The checks of names and name patterns that channels, rules and silences share. */
final class Names {
  /** A channel's or rule's name: like a resource's. */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,190}");

  /** A workflow, task or label filter: names with {@code *} for any characters. */
  static final Pattern FILTER = Pattern.compile("[A-Za-z0-9_.*-]{1,191}");

  private Names() {}

  /**
   * @throws InvalidRequestException naming {@code field} and the rule
   */
  static String name(String field, String what, String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidRequestException(
          field,
          what
              + " name "
              + shown(name)
              + " is not allowed: use a letter or digit, then letters, digits, . _ or -"
              + " (at most 191 characters)");
    }
    return name;
  }

  /** Checks an optional filter; null passes. */
  static String filter(String field, String filter) {
    if (filter != null && !FILTER.matcher(filter).matches()) {
      throw new InvalidRequestException(
          field,
          "filter "
              + shown(filter)
              + " is not allowed: use 1 to 191 of letters, digits, _ . - and * (any characters)");
    }
    return filter;
  }

  static String shown(String s) {
    return s == null ? "null" : "'" + (s.length() > 70 ? s.substring(0, 70) + "..." : s) + "'";
  }
}
