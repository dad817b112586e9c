package io.flinkplatform.tasks.shell;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the processes that carry a marker in their environment, through {@code /proc} (Linux).
 * Every process of an attempt inherits the attempt's {@link ShellEnvironment#PROCESS_TOKEN}, so the
 * scan finds them even after their parents died and they were reparented. Elsewhere it finds
 * nothing.
 */
final class ProcessScan {
  private static final Path PROC = Path.of("/proc");

  private ProcessScan() {}

  /**
   * The running processes whose initial environment holds {@code name=value} and that started no
   * earlier than {@code notBeforeMillis}.
   */
  static List<ProcessHandle> withEnvironment(String name, String value, long notBeforeMillis) {
    byte[] entry = (name + "=" + value).getBytes(StandardCharsets.UTF_8);
    List<ProcessHandle> found = new ArrayList<>();
    if (!Files.isDirectory(PROC)) {
      return found;
    }
    long self = ProcessHandle.current().pid();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, "[0-9]*")) {
      for (Path dir : dirs) {
        long pid = parsePid(dir.getFileName().toString());
        if (pid <= 1 || pid == self || !holds(dir.resolve("environ"), entry)) {
          continue;
        }
        ProcessHandle.of(pid)
            .filter(ProcessState::running)
            .filter(p -> ProcessIdentity.of(p).startMillis() >= notBeforeMillis)
            .ifPresent(found::add);
      }
    } catch (IOException | RuntimeException e) {
      // best effort: what was found so far is still worth ending
    }
    return found;
  }

  private static long parsePid(String name) {
    try {
      return Long.parseLong(name);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Whether the NUL-separated environment file holds {@code entry} as one whole entry. */
  private static boolean holds(Path environ, byte[] entry) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(environ);
    } catch (IOException | RuntimeException e) {
      return false; // gone, or not ours to read
    }
    int start = 0;
    for (int i = 0; i <= bytes.length; i++) {
      if (i == bytes.length || bytes[i] == 0) {
        if (i - start == entry.length && regionEquals(bytes, start, entry)) {
          return true;
        }
        start = i + 1;
      }
    }
    return false;
  }

  private static boolean regionEquals(byte[] bytes, int offset, byte[] entry) {
    for (int j = 0; j < entry.length; j++) {
      if (bytes[offset + j] != entry[j]) {
        return false;
      }
    }
    return true;
  }
}
