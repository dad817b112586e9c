package io.flinkplatform.engine.internal.worker;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The per-run directories of a log store, as housekeeping sees them: which runs have logs here, and
 * deleting the logs of runs that are gone. Only directories named by a run id that hold nothing but
 * task logs are touched.
 */
final class RunLogDirectories {
  private static final String RUN_DIRECTORY = "[0-9]{1,18}";
  private static final String LOG_FILE = ".+\\.[0-9]{1,10}\\.log";

  private RunLogDirectories() {}

  /**
   * The run ids that have a directory of logs here: a directory named by the number, holding task
   * logs ({@code <taskId>.<attempt>.log}) and nothing else. Anything else is not this store's.
   */
  static List<Long> list(Path root) throws IOException {
    List<Long> ids = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return ids;
    }
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path d : dirs.toList()) {
        String name = d.getFileName().toString();
        if (name.matches(RUN_DIRECTORY) && holdsOnlyLogs(d)) {
          ids.add(Long.parseLong(name));
        }
      }
    }
    return ids;
  }

  private static boolean holdsOnlyLogs(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> all = files.toList();
      return !all.isEmpty()
          && all.stream()
              .allMatch(
                  f ->
                      Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)
                          && f.getFileName().toString().matches(LOG_FILE));
    }
  }

  /**
   * Deletes the logs of the given runs (their rows are gone), only task logs and the run's
   * directory once empty; returns how many runs it cleared.
   */
  static int delete(Path root, Collection<Long> runIds) throws IOException {
    int n = 0;
    for (long id : Set.copyOf(runIds)) {
      Path dir = root.resolve(Long.toString(id));
      if (!holdsOnlyLogs(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.toList()) {
          if (f.getFileName().toString().matches(LOG_FILE)) {
            Files.deleteIfExists(f);
          }
        }
      }
      try {
        Files.deleteIfExists(dir);
        n++;
      } catch (DirectoryNotEmptyException e) {
        // something else appeared in it: left alone
      }
    }
    return n;
  }
}
