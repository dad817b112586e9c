package io.flinkplatform.tasks.sql;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Hides what may be secret in text shown to people: URL credentials, secret-looking values. */
final class Redaction {
  static final String MASK = "******";
  private static final Pattern USER_INFO = Pattern.compile("(//)[^/@?]*@");
  private static final Pattern SECRET_PARAMETER =
      Pattern.compile("(?i)((?:password|passwd|pwd|secret|token|key)[A-Za-z_]*=)[^&;#]*");

  private Redaction() {}

  /** The URL with user information and the values of secret-looking parameters masked. */
  static String url(String url) {
    if (url == null) {
      return null;
    }
    String shown = USER_INFO.matcher(url).replaceFirst("$1" + MASK + "@");
    return SECRET_PARAMETER.matcher(shown).replaceAll("$1" + MASK);
  }

  /** The properties with values of secret-looking names masked. */
  static Map<String, String> properties(Map<String, String> properties) {
    Map<String, String> shown = new LinkedHashMap<>();
    properties.forEach((k, v) -> shown.put(k, secretName(k) ? MASK : v));
    return shown;
  }

  static boolean secretName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.contains("password")
        || lower.contains("passwd")
        || lower.contains("secret")
        || lower.contains("token")
        || lower.contains("key");
  }
}
