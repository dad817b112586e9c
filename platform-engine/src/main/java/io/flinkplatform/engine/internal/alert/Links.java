package io.flinkplatform.engine.internal.alert;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The console pages an alert links to, when the console's public address is known. */
final class Links {
  private final String base;

  /** {@code base}: the public address and base path without a trailing slash, or null. */
  Links(String base) {
    this.base = base == null || base.isEmpty() ? null : strip(base);
  }

  /** {@code <publicUri><basePath>}, or null when the console has no public address. */
  static String base(java.net.URI publicUri, String basePath) {
    return publicUri == null
        ? null
        : strip(publicUri.toString()) + (basePath == null ? "" : basePath);
  }

  /** The run's page, or null. */
  String run(String workspace, long runId) {
    return base == null || workspace == null
        ? null
        : base
            + "/w/"
            + URLEncoder.encode(workspace, StandardCharsets.UTF_8).replace("+", "%20")
            + "/runs/"
            + runId;
  }

  private static String strip(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
