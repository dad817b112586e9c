package io.flinkplatform.tasks.sql;

import java.util.Map;

/**
 * Hides what may be secret in text shown to people; the rule itself is the platform's ({@link
 * io.flinkplatform.spi.Redaction}), so the engine and this plugin mask the same forms.
 */
final class Redaction {
  static final String MASK = io.flinkplatform.spi.Redaction.MASK;

  private Redaction() {}

  /** The URL with every form of credentials masked. */
  static String url(String url) {
    return io.flinkplatform.spi.Redaction.url(url);
  }

  /** The properties with values of secret-looking names masked. */
  static Map<String, String> properties(Map<String, String> properties) {
    return io.flinkplatform.spi.Redaction.properties(properties);
  }

  static boolean secretName(String name) {
    return io.flinkplatform.spi.Redaction.isSecretName(name);
  }
}
