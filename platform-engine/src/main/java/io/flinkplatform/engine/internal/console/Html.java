package io.flinkplatform.engine.internal.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * Escaping and small formatting helpers for server-rendered pages. Every value goes through esc.
 */
public final class Html {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private Html() {}

  /** Escapes text for an element's content or a quoted attribute. */
  public static String esc(Object value) {
    if (value == null) {
      return "";
    }
    String s =
        value instanceof Optional<?> o ? o.map(String::valueOf).orElse("") : value.toString();
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** A path segment or query value, URL-encoded. */
  public static String url(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** A URL-encoded path segment, decoded; a malformed one is a 400 naming {@code field}. */
  static String decode(String field, String raw) {
    try {
      return java.net.URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new io.flinkplatform.engine.InvalidRequestException(
          field, field + " is not URL-encoded: " + raw);
    }
  }

  public static String time(Instant t) {
    return t == null ? "" : TIME.format(t);
  }

  public static String time(Optional<Instant> t) {
    return t.map(Html::time).orElse("");
  }

  /** A duration as people read it: 850 ms, 12.3 s, 4 min 5 s, 2 h 3 min. */
  public static String duration(Duration d) {
    if (d == null) {
      return "";
    }
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + " ms";
    }
    if (ms < 60_000) {
      return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }
    long s = ms / 1000;
    if (s < 3600) {
      return s / 60 + " min " + s % 60 + " s";
    }
    return s / 3600 + " h " + s % 3600 / 60 + " min";
  }
}
