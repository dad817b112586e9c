package io.flinkplatform.tasks.shell;

import java.time.Instant;
import java.util.Optional;

/**
 * A process as the operating system knows it: its pid <em>and</em> its start time. A pid alone is
 * not an identity, since the system reuses pids; a pid with the same start time is the same
 * process.
 *
 * @param pid the process id
 * @param startMillis the start time in epoch milliseconds as the system reports it, or {@link
 *     #UNKNOWN_START} where it reports none
 */
record ProcessIdentity(long pid, long startMillis) {
  static final long UNKNOWN_START = 0;

  /** The identity of a running process. */
  static ProcessIdentity of(ProcessHandle process) {
    return new ProcessIdentity(process.pid(), startMillis(process));
  }

  /** The identity of this JVM. */
  static ProcessIdentity current() {
    return of(ProcessHandle.current());
  }

  /**
   * The process with this identity, if it still runs: same pid, same known start time, not a
   * zombie. A process whose start time is unknown never matches.
   */
  Optional<ProcessHandle> find() {
    if (startMillis == UNKNOWN_START) {
      return Optional.empty();
    }
    return ProcessHandle.of(pid)
        .filter(ProcessState::running)
        .filter(process -> startMillis(process) == startMillis);
  }

  /** Whether the process with this identity still runs. */
  boolean alive() {
    return find().isPresent();
  }

  private static long startMillis(ProcessHandle process) {
    return process.info().startInstant().map(Instant::toEpochMilli).orElse(UNKNOWN_START);
  }
}
