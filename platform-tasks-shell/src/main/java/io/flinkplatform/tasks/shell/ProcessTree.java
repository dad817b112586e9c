package io.flinkplatform.tasks.shell;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A started process and everything it spawned, ended as a whole: SIGTERM to all, a grace period,
 * then SIGKILL to whatever is still alive.
 *
 * <p>Members are the root and its {@link ProcessHandle#descendants() descendants}, collected before
 * any signal is sent (a parent that dies first would orphan its children and hide them). If the
 * root leads its own process group (it was started through {@code setsid}), the group is signalled
 * as well, which also reaches orphaned members that are no longer descendants. Before SIGKILL the
 * descendants are collected once more, to catch processes forked during the grace period. A zombie
 * counts as ended (see {@link ProcessState}).
 */
final class ProcessTree {
  private static final Duration REAP_TIMEOUT = Duration.ofSeconds(2);
  private static final long POLL_MILLIS = 20;
  private static final Optional<Path> KILL =
      List.of(Path.of("/bin/kill"), Path.of("/usr/bin/kill")).stream()
          .filter(Files::isExecutable)
          .findFirst();

  private final List<ProcessHandle> roots;
  private final OptionalLong group;

  /**
   * @param root the started process
   * @param ownGroup whether {@code root} leads a process group of its own, with the root's pid
   */
  ProcessTree(ProcessHandle root, boolean ownGroup) {
    this(
        List.of(requireNonNull(root, "root is null")),
        ownGroup ? OptionalLong.of(root.pid()) : OptionalLong.empty());
  }

  /**
   * @param roots processes to end with their descendants
   * @param group a process group to signal as well, if any
   */
  ProcessTree(Collection<ProcessHandle> roots, OptionalLong group) {
    this.roots = List.copyOf(requireNonNull(roots, "roots is null"));
    this.group = requireNonNull(group, "group is null");
  }

  /**
   * Ends the tree and waits briefly for it to be gone. An interrupt cuts the grace period short;
   * the interrupt status is kept.
   *
   * @param grace how long the members may take to exit after SIGTERM
   * @return how many members were still alive after the grace period and got SIGKILL
   */
  int terminate(Duration grace) {
    return terminate(grace, true);
  }

  /**
   * Ends the tree and waits briefly for it to be gone; the interrupt status is kept.
   *
   * @param grace how long the members may take to exit after SIGTERM
   * @param interruptCutsGrace whether an interrupt ends the grace period early; when not, the grace
   *     is waited out (it is bounded) and an interrupt during it only noted
   * @return how many members were still alive after the grace period and got SIGKILL
   */
  int terminate(Duration grace, boolean interruptCutsGrace) {
    requireNonNull(grace, "grace is null");
    // an interrupt already pending would cut signalling the group short as well
    boolean interrupted = !interruptCutsGrace && Thread.interrupted();
    Set<ProcessHandle> members = collect(roots);
    members.forEach(ProcessHandle::destroy);
    signalGroup("TERM");
    long graceEnd = System.nanoTime() + grace.toNanos();
    while (true) {
      try {
        awaitExit(members, graceEnd);
        break;
      } catch (InterruptedException e) {
        interrupted = true;
        if (interruptCutsGrace) {
          break;
        }
      }
    }
    interrupted |= Thread.interrupted();
    members.addAll(collect(members));
    int killed = 0;
    for (ProcessHandle member : members) {
      if (ProcessState.running(member)) {
        member.destroyForcibly();
        killed++;
      }
    }
    signalGroup("KILL");
    try {
      awaitExit(members, System.nanoTime() + REAP_TIMEOUT.toNanos());
    } catch (InterruptedException e) {
      interrupted = true;
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return killed;
  }

  /** {@code roots} with their current descendants. */
  private static Set<ProcessHandle> collect(Collection<ProcessHandle> roots) {
    Set<ProcessHandle> members = new LinkedHashSet<>();
    for (ProcessHandle handle : List.copyOf(roots)) {
      members.add(handle);
      handle.descendants().forEach(members::add);
    }
    return members;
  }

  /** Waits until no member runs or {@link System#nanoTime()} reaches {@code deadline}. */
  private static void awaitExit(Collection<ProcessHandle> members, long deadline)
      throws InterruptedException {
    while (members.stream().anyMatch(ProcessState::running) && deadline - System.nanoTime() > 0) {
      Thread.sleep(POLL_MILLIS);
    }
  }

  /** Best effort {@code kill -SIGNAL -- -pgid}, if there is a group to signal. */
  private void signalGroup(String signal) {
    if (group.isEmpty() || KILL.isEmpty()) {
      return;
    }
    Process kill = null;
    try {
      kill =
          new ProcessBuilder(KILL.get().toString(), "-" + signal, "--", "-" + group.getAsLong())
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      kill.getOutputStream().close();
      kill.waitFor(REAP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (IOException e) {
      // Signalling the group is an extra: members are also signalled one by one.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (kill != null && kill.isAlive()) {
        kill.destroyForcibly();
      }
    }
  }
}
