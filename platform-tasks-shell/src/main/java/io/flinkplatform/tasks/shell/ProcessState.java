package io.flinkplatform.tasks.shell;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a process still runs. {@link ProcessHandle#isAlive()} also holds for a zombie: a process
 * that ended but was not yet reaped by its parent. Orphans are reparented to pid 1, which in a
 * container may be a program that never reaps them, so on Linux zombies count as ended here.
 */
final class ProcessState {
  private static final Path PROC = Path.of("/proc");

  private ProcessState() {}

  static boolean running(ProcessHandle process) {
    return process.isAlive() && !zombie(process.pid());
  }

  /** Reads the state field of {@code /proc/<pid>/stat}, which follows the parenthesized name. */
  private static boolean zombie(long pid) {
    try {
      String stat =
          new String(
              Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("stat")),
              StandardCharsets.UTF_8);
      int end = stat.lastIndexOf(')');
      return end >= 0 && end + 2 < stat.length() && stat.charAt(end + 2) == 'Z';
    } catch (IOException | RuntimeException e) {
      return false; // not Linux, or the process is gone: isAlive() decides
    }
  }
}
