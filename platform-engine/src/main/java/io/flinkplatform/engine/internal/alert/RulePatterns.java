package io.flinkplatform.engine.internal.alert;

/**
 * A rule's workflow and task filters: names where {@code *} matches any characters (and nothing
 * else is special), matched in memory or handed to SQL as a {@code LIKE} pattern.
 */
final class RulePatterns {
  private RulePatterns() {}

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
