package io.flinkplatform.engine.internal.console;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

/**
 * Static files from the jar, never from the network: the console's own under {@code
 * /assets/console/} (class path {@code io/flinkplatform/engine/console/assets/}) and WebJars' under
 * {@code /assets/webjars/} ({@code META-INF/resources/webjars/}). Cached by browsers for a day.
 */
final class Assets {
  private static final Map<String, String> TYPES =
      Map.of(
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml",
          "png", "image/png",
          "ico", "image/x-icon",
          "json", "application/json");

  private Assets() {}

  /** Serves {@code path} (below {@code /assets}); false if there is no such asset. */
  static boolean serve(Exchange ex, String path) throws IOException {
    Optional<String> resource = resource(path);
    if (resource.isEmpty()) {
      return false;
    }
    try (InputStream in = Assets.class.getClassLoader().getResourceAsStream(resource.get())) {
      if (in == null) {
        return false;
      }
      String ext = path.substring(path.lastIndexOf('.') + 1);
      ex.header("Cache-Control", "public, max-age=86400");
      ex.send(200, TYPES.getOrDefault(ext, "application/octet-stream"), in.readAllBytes());
      return true;
    }
  }

  static Optional<String> resource(String path) {
    if (path.contains("..") || path.contains("//") || path.contains("\\")) {
      return Optional.empty();
    }
    if (path.startsWith("/console/")) {
      return Optional.of("io/flinkplatform/engine/console/assets/" + path.substring(9));
    }
    if (path.startsWith("/webjars/")) {
      return Optional.of("META-INF/resources/webjars/" + path.substring(9));
    }
    return Optional.empty();
  }
}
