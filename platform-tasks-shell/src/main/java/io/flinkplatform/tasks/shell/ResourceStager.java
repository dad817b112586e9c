package io.flinkplatform.tasks.shell;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.spi.AccessDeniedException;
import io.flinkplatform.spi.StoredResources;
import io.flinkplatform.spi.TaskContext;
import java.io.IOException;
import java.io.InputStream;
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

/**
 * Copies an attempt's {@code resources} into its working directory before the process starts: files
 * keep their permissions, directories are copied whole (symbolic links as links), downloads honour
 * the attempt's deadline and cancellation and a size cap.
 *
 * <p>Symbolic links never lead staging out of where it belongs: a relative source must really lie
 * inside {@code shell.resourceDirectory} once links are resolved, and a target is never reached
 * through a symbolic link that already exists in the working directory (a persistent one may hold
 * links left by earlier attempts).
 */
final class ResourceStager {
  /** The longest a download may take when the attempt has no deadline. */
  static final Duration DOWNLOAD_TIMEOUT = Duration.ofMinutes(10);

  private final TaskContext context;
  private final Optional<Path> resourceDirectory;
  private final ResourceDownload downloads;
  private final boolean confined;
  private final Optional<StoredResources> stored;

  ResourceStager(TaskContext context, Optional<Path> resourceDirectory, long maxDownloadBytes) {
    this(context, resourceDirectory, maxDownloadBytes, false, Optional.empty());
  }

  /**
   * @param confined whether the task may read only its workspace's resources and the network
   *     ({@code RunAs.confines})
   * @param stored the platform's uploaded resources, for {@code resource:} sources
   */
  ResourceStager(
      TaskContext context,
      Optional<Path> resourceDirectory,
      long maxDownloadBytes,
      boolean confined,
      Optional<StoredResources> stored) {
    this.stored = requireNonNull(stored, "stored is null");
    this.confined = confined;
    this.context = requireNonNull(context, "context is null");
    this.resourceDirectory = requireNonNull(resourceDirectory, "resourceDirectory is null");
    this.downloads = new ResourceDownload(context.cancellation(), maxDownloadBytes);
  }

  /**
   * Stages every resource, in order.
   *
   * @throws IOException naming the resource that could not be staged
   * @throws InterruptedException if the attempt was cancelled or interrupted meanwhile
   */
  void stage(Map<String, String> resources, Path workingDirectory)
      throws IOException, InterruptedException {
    Path root = workingDirectory.normalize();
    for (Map.Entry<String, String> resource : resources.entrySet()) {
      if (context.cancellation().isCancelled() || Thread.interrupted()) {
        throw new InterruptedException("cancelled while staging resources");
      }
      Path target = root.resolve(resource.getKey()).normalize();
      try {
        refuseLinks(root, target);
        stage(ResourceSource.parse(resource.getValue()), target);
      } catch (IOException | IllegalArgumentException | AccessDeniedException e) {
        // the message names author-chosen paths: shown printable, like the log line below
        throw new IOException(
            "could not stage resource '"
                + shown(resource.getKey())
                + "': "
                + shown(String.valueOf(e.getMessage())),
            e);
      }
      context
          .log()
          .line(
              "[shell] staged "
                  + shown(resource.getKey())
                  + " from "
                  + shown(ResourceSource.redact(resource.getValue())));
    }
  }

  /** The longest path (or message) shown in the task's log. */
  static final int MAX_SHOWN = 1_024;

  /** A target, source or message as one line: control characters as '?', cut if very long. */
  private static String shown(String text) {
    return ShellEnvironment.printable(text, MAX_SHOWN);
  }

  private void stage(ResourceSource source, Path target) throws IOException, InterruptedException {
    java.util.Optional<String> refused =
        ResourceSource.refusedIn(
            context.workspace(),
            confined || !io.flinkplatform.spi.Workspaces.DEFAULT.equals(context.workspace()),
            source);
    if (refused.isPresent()) {
      throw new IOException(refused.get());
    }
    Path parent = target.getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    if (source instanceof ResourceSource.Local local) {
      copyLocal(resolve(local.path()), target);
    } else if (source instanceof ResourceSource.Stored uploaded) {
      Path file =
          stored
              .orElseThrow(() -> new IOException("this platform provides no resource store"))
              .stage(context.workspace(), uploaded.reference());
      Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
    } else if (source instanceof ResourceSource.ClassPath classPath) {
      copyClassPath(classPath.name(), target);
    } else {
      downloads.download(((ResourceSource.Http) source).uri(), target, remaining());
    }
  }

  /**
   * Refuses a target below {@code root} whose path passes through a symbolic link, or is one:
   * following it could write anywhere.
   */
  private static void refuseLinks(Path root, Path target) throws IOException {
    Path current = root;
    for (Path part : root.relativize(target)) {
      current = current.resolve(part);
      if (Files.isSymbolicLink(current)) {
        throw new IOException(
            "'"
                + root.relativize(current)
                + "' is a symbolic link in the working directory; staging does not follow links"
                + " there");
      }
      if (!Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
        return;
      }
    }
  }

  private Path resolve(Path path) throws IOException {
    if (path.isAbsolute()) {
      return path;
    }
    Path root =
        resourceDirectory
            .map(this::ofWorkspace)
            .orElseThrow(
                () ->
                    new IOException(
                        "the relative source '"
                            + path
                            + "' needs the plugin setting shell.resourceDirectory"));
    Path resolved = root.resolve(path).normalize();
    if (!resolved.startsWith(root.normalize())) {
      throw new IOException("the source '" + path + "' leaves shell.resourceDirectory");
    }
    if (io.flinkplatform.spi.Workspaces.DEFAULT.equals(context.workspace())
        && resolved.startsWith(root.resolve(WORKSPACES).normalize())) {
      throw new IOException(
          "the source '" + path + "' lies in the other workspaces' resources (workspaces/)");
    }
    if (!Files.exists(resolved, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(resolved + " does not exist");
    }
    Path real = resolved.toRealPath();
    if (!real.startsWith(root.toRealPath())) {
      throw new IOException(
          "the source '" + path + "' leaves shell.resourceDirectory through a symbolic link");
    }
    if (io.flinkplatform.spi.Workspaces.DEFAULT.equals(context.workspace())
        && real.startsWith(root.toRealPath().resolve(WORKSPACES))) {
      throw new IOException(
          "the source '" + path + "' leads into the other workspaces' resources (workspaces/)");
    }
    return real;
  }

  /** The sub-directory of the resource directory that holds the other workspaces' resources. */
  static final String WORKSPACES = "workspaces";

  /**
   * The directory relative sources of the attempt's workspace are read from: the resource directory
   * itself for the default workspace, {@code workspaces/<name>} in it for any other.
   */
  private Path ofWorkspace(Path directory) {
    String workspace = context.workspace();
    return io.flinkplatform.spi.Workspaces.DEFAULT.equals(workspace)
        ? directory
        : directory.resolve(WORKSPACES).resolve(workspace);
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
            Path copy = target.resolve(source.relativize(dir).toString());
            if (Files.isSymbolicLink(copy)) {
              throw new IOException(
                  copy
                      + " is a symbolic link in the working directory; staging does not follow"
                      + " links there");
            }
            Files.createDirectories(copy);
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

  private Duration remaining() {
    Optional<Instant> deadline = context.deadline();
    if (deadline.isEmpty()) {
      return DOWNLOAD_TIMEOUT;
    }
    Duration left = Duration.between(context.clock().instant(), deadline.get());
    return left.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : left;
  }
}
