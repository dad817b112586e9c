package io.flinkplatform.tasks.shell;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * The directory an attempt runs in: the configured one, or a fresh temporary directory that is
 * deleted, with everything in it, when the attempt ends. Symbolic links are deleted, never
 * followed.
 */
final class WorkingDirectory implements AutoCloseable {
  private final Path path;
  private final boolean temporary;

  private WorkingDirectory(Path path, boolean temporary) {
    this.path = path;
    this.temporary = temporary;
  }

  /**
   * Uses {@code configured} if given (it must be an existing directory), else creates a temporary
   * directory named after the task.
   */
  static WorkingDirectory open(Optional<Path> configured, String taskId) throws IOException {
    requireNonNull(configured, "configured is null");
    requireNonNull(taskId, "taskId is null");
    if (configured.isPresent()) {
      Path dir = configured.get();
      if (!Files.isDirectory(dir)) {
        throw new IOException("working directory " + dir + " is not an existing directory");
      }
      return new WorkingDirectory(dir, false);
    }
    String prefix = "shell-" + taskId.replaceAll("[^A-Za-z0-9_.-]", "_") + "-";
    return new WorkingDirectory(Files.createTempDirectory(prefix), true);
  }

  Path path() {
    return path;
  }

  /** Whether the directory was created for this attempt (and is deleted when it ends). */
  boolean temporary() {
    return temporary;
  }

  /** Deletes a temporary directory, best effort; leaves a configured one alone. */
  @Override
  public void close() {
    if (!temporary) {
      return;
    }
    try {
      Files.walkFileTree(
          path,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              deleteQuietly(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              deleteQuietly(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) {
              deleteQuietly(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      // Best effort: a leftover temporary directory is harmless.
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // Best effort, see close().
    }
  }
}
