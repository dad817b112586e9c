package io.flinkplatform.tasks.sql;

import java.util.Arrays;
import java.util.List;

/**
 * The secret references a datasource may name ({@link Password#fromSecret}): the setting {@code
 * sql.secretNames}, a comma-separated list of names and prefixes ending in {@code *}, by default
 * {@value #DEFAULT}. A reference outside it is refused when the datasource is saved, and not
 * resolved when connecting, so a datasource cannot be made to send any other secret of the host.
 */
final class SecretNames {
  static final String SETTING = "sql.secretNames";
  static final String DEFAULT = "FP_SQL_SECRET_*";

  private final List<String> patterns;

  private SecretNames(List<String> patterns) {
    this.patterns = List.copyOf(patterns);
  }

  static SecretNames parse(String text) {
    List<String> patterns =
        Arrays.stream(text.split(",")).map(String::strip).filter(p -> !p.isEmpty()).toList();
    for (String p : patterns) {
      if (p.equals("*") || p.indexOf('*') != p.length() - 1 && p.contains("*")) {
        throw new IllegalArgumentException(
            SETTING
                + " must list names and prefixes ending in '*' (not '*' alone) but holds '"
                + p
                + "'");
      }
    }
    if (patterns.isEmpty()) {
      throw new IllegalArgumentException(SETTING + " must not be empty");
    }
    return new SecretNames(patterns);
  }

  boolean allows(String reference) {
    for (String p : patterns) {
      if (p.endsWith("*")
          ? reference.startsWith(p.substring(0, p.length() - 1))
          : reference.equals(p)) {
        return true;
      }
    }
    return false;
  }

  /**
   * @throws SecretNotAllowedException naming the datasource, the reference and the allowed names
   */
  void check(String datasource, String reference) {
    if (!allows(reference)) {
      throw new SecretNotAllowedException(
          "the password secret '"
              + reference
              + "' of datasource '"
              + datasource
              + "' is not one the setting "
              + SETTING
              + " allows: "
              + patterns);
    }
  }

  @Override
  public String toString() {
    return String.join(",", patterns);
  }
}
