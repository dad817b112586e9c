package io.flinkplatform.spi;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one rule for hiding secrets in text shown to people (logs, exceptions, {@code toString()}):
 * credentials in JDBC URLs and values whose names look secret. The engine masks its own database
 * URL with it; plugins use it for theirs.
 *
 * <p>A URL "holds a password" when it has user information with a password ({@code //user:pass@}),
 * Oracle's {@code user/pass@} form, or a parameter whose name contains a password word ({@code
 * password}, {@code password1}, {@code sslpassword}, {@code trustStorePassword}, the {@code
 * (password=…)} of a MySQL {@code address=}, {@code pwd}, {@code passphrase}, {@code secret},
 * {@code token}, {@code credential}). A value SQL Server quotes in braces ({@code password={a;b}})
 * is masked whole. Masking is broader: it also hides values of names holding {@code key}.
 */
public final class Redaction {
  /** What a hidden value is replaced with. */
  public static final String MASK = "******";

  private static final String PASSWORD_WORDS =
      "password|passwd|pwd|passphrase|secret|token|credential";
  private static final java.util.List<String> PASSWORD_WORD_LIST =
      java.util.List.of(PASSWORD_WORDS.split("\\|"));
  // a value ends at & ; # or at a ')' that closes a MySQL address=(…)(…) part; a SQL Server value
  // quoted in braces ({a;b}, '}' written '}}') is one value up to its closing brace
  private static final String VALUE =
      "(?:\\{(?:\\}\\}|[^}])*(?:\\}|$)|(?:[^&;#)]|\\)(?![(/?]|$))*)";
  private static final Pattern SECRET_PARAMETER =
      Pattern.compile(
          "(?i)([A-Za-z0-9_.\\-]*(?:" + PASSWORD_WORDS + "|key)[A-Za-z0-9_.\\-]*=)" + VALUE);
  private static final Pattern PASSWORD_PARAMETER =
      Pattern.compile("(?i)[A-Za-z0-9_.\\-]*(?:" + PASSWORD_WORDS + ")[A-Za-z0-9_.\\-]*=");
  private static final Pattern USER_INFO = Pattern.compile("(//)[^/@?#]*@");
  private static final Pattern USER_INFO_PASSWORD = Pattern.compile("//[^/@?#:]*:[^/@?#]*@");
  // Oracle thin: jdbc:oracle:thin:user/password@host...
  private static final Pattern ORACLE_LOGIN =
      Pattern.compile("(?i)(jdbc:oracle:[a-z0-9]+:[^/@:]*)/[^@]*@");

  private Redaction() {}

  /**
   * {@code url} with user information, Oracle's {@code user/password@} and the values of
   * secret-looking parameters masked; {@code null} for {@code null}.
   */
  public static String url(String url) {
    if (url == null) {
      return null;
    }
    String shown = USER_INFO.matcher(url).replaceFirst("$1" + MASK + "@");
    shown = ORACLE_LOGIN.matcher(shown).replaceFirst("$1/" + MASK + "@");
    return SECRET_PARAMETER.matcher(shown).replaceAll("$1" + MASK);
  }

  /** Whether {@code url} carries a password in any of the forms the class doc lists. */
  public static boolean urlHoldsPassword(String url) {
    return url != null
        && (USER_INFO_PASSWORD.matcher(url).find()
            || ORACLE_LOGIN.matcher(url).find()
            || PASSWORD_PARAMETER.matcher(url).find());
  }

  /**
   * A copy of {@code properties}, in their order, with the values of secret-looking names masked.
   */
  public static Map<String, String> properties(Map<String, String> properties) {
    Map<String, String> shown = new LinkedHashMap<>();
    properties.forEach((k, v) -> shown.put(k, isSecretName(k) ? MASK : v));
    return shown;
  }

  /**
   * Whether {@code name} says its value is a password or alike (holds one of the password words of
   * the class doc); narrower than {@link #isSecretName}, which also takes names holding {@code
   * key}.
   */
  public static boolean isPasswordName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (String word : PASSWORD_WORD_LIST) {
      if (lower.contains(word)) {
        return true;
      }
    }
    return false;
  }

  /** Whether a setting, property or option called {@code name} may hold a secret. */
  public static boolean isSecretName(String name) {
    return isPasswordName(name) || name.toLowerCase(Locale.ROOT).contains("key");
  }
}
