package io.flinkplatform.tasks.shell;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts processes as leaders of a session (and process group) of their own through {@code setsid
 * -w}, where the system has a {@code setsid} that supports it, so that the whole group can be
 * signalled. Elsewhere processes start as they are and only their descendants can be found.
 */
final class SessionLauncher {
  private static final List<String> PREFIX = detect();

  private SessionLauncher() {}

  /** Whether processes get a session and process group of their own. */
  static boolean available() {
    return !PREFIX.isEmpty();
  }

  /** A builder for {@code argv}, run through {@code setsid -w} where available. */
  static ProcessBuilder builder(List<String> argv) {
    requireNonNull(argv, "argv is null");
    List<String> command = new ArrayList<>(PREFIX);
    command.addAll(argv);
    return new ProcessBuilder(command);
  }

  /** Finds a {@code setsid} that runs a command and passes on its exit code. */
  private static List<String> detect() {
    for (String candidate : List.of("/usr/bin/setsid", "/bin/setsid")) {
      if (Files.isExecutable(Path.of(candidate)) && works(candidate)) {
        return List.of(candidate, "-w");
      }
    }
    return List.of();
  }

  private static boolean works(String setsid) {
    Process probe;
    try {
      probe =
          new ProcessBuilder(setsid, "-w", "/bin/sh", "-c", "exit 7")
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      probe.getOutputStream().close();
    } catch (IOException e) {
      return false;
    }
    // The answer is kept for good, so an interrupt must not decide it: wait it out, then restore.
    boolean interrupted = Thread.interrupted();
    try {
      while (true) {
        try {
          if (!probe.waitFor(5, TimeUnit.SECONDS)) {
            probe.destroyForcibly();
            return false;
          }
          return probe.exitValue() == 7;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
