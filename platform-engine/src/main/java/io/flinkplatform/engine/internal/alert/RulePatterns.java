package io.flinkplatform.engine.internal.alert;

/**
 * A rule's workflow and task filters: names where {@code *} matches any characters (and nothing
 * else is special), matched in memory or handed to SQL as a {@code LIKE} pattern.
 */
final class RulePatterns {
  private RulePatterns() {}

  /** Whether {@code value} matches {@code pattern}; a null pattern matches anything. */
  static boolean matches(String pattern, String value) {
    if (pattern == null) {
      return true;
    }
    if (value == null) {
      return false;
    }
    StringBuilder regex = new StringBuilder();
    for (String part : pattern.split("\\*", -1)) {
      if (!regex.isEmpty()) {
        regex.append(".*");
      }
      regex.append(java.util.regex.Pattern.quote(part));
    }
    return value.matches(regex.toString());
  }

  /**
   * {@code pattern} as a MariaDB {@code LIKE} pattern (escape character backslash), or null for a
   * null pattern or one that is only {@code *}.
   */
  static String like(String pattern) {
    if (pattern == null || pattern.equals("*")) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    for (char ch : pattern.toCharArray()) {
      switch (ch) {
        case '\\', '%', '_' -> out.append('\\').append(ch);
        case '*' -> out.append('%');
        default -> out.append(ch);
      }
    }
    return out.toString();
  }
}
