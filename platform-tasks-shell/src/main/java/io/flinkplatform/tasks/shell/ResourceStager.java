package io.flinkplatform.tasks.shell;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.spi.TaskContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Copies an attempt's {@code resources} into its working directory before the process starts: files
 * keep their permissions, directories are copied whole (symbolic links as links), downloads honour
 * the attempt's deadline and cancellation.
 */
final class ResourceStager {
  /** The longest a download may take when the attempt has no deadline. */
  static final Duration DOWNLOAD_TIMEOUT = Duration.ofMinutes(10);

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(30))
          .followRedirects(HttpClient.Redirect.NORMAL)
          .build();

  private final TaskContext context;
  private final Optional<Path> resourceDirectory;

  ResourceStager(TaskContext context, Optional<Path> resourceDirectory) {
    this.context = requireNonNull(context, "context is null");
    this.resourceDirectory = requireNonNull(resourceDirectory, "resourceDirectory is null");
  }

  /**
   * Stages every resource, in order.
   *
   * @throws IOException naming the resource that could not be staged
   * @throws InterruptedException if the attempt was cancelled or interrupted meanwhile
   */
  void stage(Map<String, String> resources, Path workingDirectory)
      throws IOException, InterruptedException {
    for (Map.Entry<String, String> resource : resources.entrySet()) {
      if (context.cancellation().isCancelled() || Thread.interrupted()) {
        throw new InterruptedException("cancelled while staging resources");
      }
      Path target = workingDirectory.resolve(resource.getKey()).normalize();
      try {
        stage(ResourceSource.parse(resource.getValue()), target);
      } catch (IOException | IllegalArgumentException e) {
        throw new IOException(
            "could not stage resource '" + resource.getKey() + "': " + e.getMessage(), e);
      }
      context
          .log()
          .line(
              "[shell] staged "
                  + resource.getKey()
                  + " from "
                  + ResourceSource.redact(resource.getValue()));
    }
  }

  private void stage(ResourceSource source, Path target) throws IOException, InterruptedException {
    Path parent = target.getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    if (source instanceof ResourceSource.Local local) {
      copyLocal(resolve(local.path()), target);
    } else if (source instanceof ResourceSource.ClassPath classPath) {
      copyClassPath(classPath.name(), target);
    } else {
      download((ResourceSource.Http) source, target);
    }
  }

  private Path resolve(Path path) throws IOException {
    if (path.isAbsolute()) {
      return path;
    }
    Path root =
        resourceDirectory.orElseThrow(
            () ->
                new IOException(
                    "the relative source '"
                        + path
                        + "' needs the plugin setting shell.resourceDirectory"));
    Path resolved = root.resolve(path).normalize();
    if (!resolved.startsWith(root.normalize())) {
      throw new IOException("the source '" + path + "' leaves shell.resourceDirectory");
    }
    return resolved;
  }

  private static void copyLocal(Path source, Path target) throws IOException {
    if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(source + " does not exist");
    }
    if (!Files.isDirectory(source)) {
      Files.copy(
          source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
      return;
    }
    Files.walkFileTree(
        source,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            Files.createDirectories(target.resolve(source.relativize(dir).toString()));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.copy(
                file,
                target.resolve(source.relativize(file).toString()),
                StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.COPY_ATTRIBUTES,
                LinkOption.NOFOLLOW_LINKS);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private static void copyClassPath(String name, Path target) throws IOException {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = ResourceStager.class.getClassLoader();
    }
    try (InputStream in = loader.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("classpath:" + name + " is not on the class path");
      }
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private void download(ResourceSource.Http source, Path target)
      throws IOException, InterruptedException {
    Duration timeout = remaining();
    HttpRequest request = HttpRequest.newBuilder(source.uri()).timeout(timeout).GET().build();
    CompletableFuture<HttpResponse<Path>> response =
        HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofFile(target));
    long end = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        if (context.cancellation().isCancelled()) {
          response.cancel(true);
          throw new InterruptedException("cancelled while downloading");
        }
        try {
          int status = response.get(50, TimeUnit.MILLISECONDS).statusCode();
          if (status / 100 != 2) {
            Files.deleteIfExists(target);
            throw new IOException("HTTP status " + status);
          }
          return;
        } catch (TimeoutException e) {
          if (System.nanoTime() - end > 0) {
            response.cancel(true);
            throw new IOException("the download took longer than " + timeout);
          }
        }
      }
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof InterruptedIOException) {
        throw new IOException("the download timed out", cause);
      }
      throw new IOException(cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
    } catch (InterruptedException e) {
      response.cancel(true);
      throw e;
    }
  }

  private Duration remaining() {
    Optional<Instant> deadline = context.deadline();
    if (deadline.isEmpty()) {
      return DOWNLOAD_TIMEOUT;
    }
    Duration left = Duration.between(context.clock().instant(), deadline.get());
    return left.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : left;
  }
}
