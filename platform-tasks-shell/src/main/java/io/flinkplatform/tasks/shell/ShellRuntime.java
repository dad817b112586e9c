package io.flinkplatform.tasks.shell;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What the {@code shell} task type gets from its plugin once the platform started it.
 *
 * @param tracker records process trees for clean-up after a failover
 * @param resourceDirectory where relative resource sources are found ({@code
 *     shell.resourceDirectory})
 */
record ShellRuntime(ProcessTracker tracker, Optional<Path> resourceDirectory) {
  /** Before the plugin is started: nothing tracked, no resource directory. */
  static final ShellRuntime DETACHED = new ShellRuntime(ProcessTracker.NONE, Optional.empty());

  ShellRuntime {
    requireNonNull(tracker, "tracker is null");
    requireNonNull(resourceDirectory, "resourceDirectory is null");
  }
}
