package io.flinkplatform.tasks.shell;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.spi.StoredResources;
import io.flinkplatform.spi.Workspaces;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where a resource comes from: a file or directory of the host ({@code /abs/path}, {@code
 * file:///abs/path}, or a path relative to the {@code shell.resourceDirectory} setting), a
 * class-path resource ({@code classpath:path/in/jar}), an HTTP(S) URL, or a file uploaded to the
 * platform ({@code resource:name}, {@code resource:name@version}).
 */
sealed interface ResourceSource {

  /** A file uploaded to the platform's resource store, by its reference. */
  record Stored(String reference) implements ResourceSource {}

  /** A local file or directory. {@code path} is absolute, or relative to the resource directory. */
  record Local(Path path) implements ResourceSource {}

  /** A resource of the host's class path. */
  record ClassPath(String name) implements ResourceSource {}

  /** An HTTP or HTTPS URL. */
  record Http(URI uri) implements ResourceSource {}

  /**
   * Parses a source.
   *
   * @throws IllegalArgumentException saying which forms are accepted
   */
  static ResourceSource parse(String text) {
    requireNonNull(text, "text is null");
    String lower = text.toLowerCase(Locale.ROOT);
    try {
      if (lower.startsWith("http://") || lower.startsWith("https://")) {
        URI uri = new URI(text);
        if (uri.getHost() == null) {
          throw new URISyntaxException(text, "no host");
        }
        return new Http(uri);
      }
      if (lower.startsWith("file:")) {
        return new Local(Path.of(new URI(text)));
      }
      if (StoredResources.isReference(text)) {
        StoredResources.parse(Workspaces.DEFAULT, text); // the syntax only
        return new Stored(text);
      }
      if (lower.startsWith("classpath:")) {
        String name = text.substring("classpath:".length()).replaceFirst("^/+", "");
        if (name.isEmpty()) {
          throw new IllegalArgumentException("empty class-path name");
        }
        return new ClassPath(name);
      }
      if (text.isBlank() || text.indexOf('\0') >= 0) {
        throw new InvalidPathException(text, "blank or holding NUL");
      }
      if (text.matches("[A-Za-z][A-Za-z0-9+.-]+:.*")) {
        throw new IllegalArgumentException("unsupported scheme");
      }
      return new Local(Path.of(text));
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "'"
              + redact(text)
              + "' is not a resource source; use an absolute path, a path relative to the"
              + " shell.resourceDirectory setting, a file: URI, classpath:name, an http(s) URL or"
              + " resource:name[@version] (an uploaded resource)",
          e);
    }
  }

  /**
   * Why a task of {@code workspace} may not read this source, or empty if it may. Outside the
   * default workspace a task reads only its workspace's resource directory and the network: an
   * absolute path, a {@code file:} URI or a class-path resource would be read with the platform's
   * rights, not the task's (and under a per-workspace OS user, handed to it).
   */
  static java.util.Optional<String> refusedIn(
      String workspace, boolean confined, ResourceSource source) {
    if (!confined
        || source instanceof Http
        || source instanceof Stored
        || source instanceof Local local && !local.path().isAbsolute()) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        "in workspace '"
            + workspace
            + "' a resource is a path relative to the workspace's resource directory"
            + " (shell.resourceDirectory/"
            + workspace
            + "), an uploaded resource (resource:name) or an http(s) URL; absolute paths, file: URIs and classpath: would read the"
            + " platform's own files");
  }

  /** The text without user information and query, which may hold credentials. */
  static String redact(String text) {
    String shown = text.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@", "$1***@");
    int q = shown.indexOf('?');
    return q < 0 ? shown : shown.substring(0, q) + "?***";
  }
}
