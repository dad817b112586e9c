package io.flinkplatform.tasks.shell;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.spi.StoredResources;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * What the {@code shell} task type gets from its plugin once the platform started it.
 *
 * @param tracker records process trees for clean-up after a failover
 * @param resourceDirectory where relative resource sources are found ({@code
 *     shell.resourceDirectory})
 * @param inheritEnvironment names of the JVM's environment passed on to processes beyond {@link
 *     ShellEnvironment#INHERITED} ({@code shell.inheritEnvironment})
 * @param maxDownloadBytes the largest resource an HTTP download may bring ({@code
 *     shell.maxDownloadSize})
 * @param runAs the OS users the tasks of a workspace run as ({@code shell.runAs.<workspace>})
 * @param stored the platform's uploaded resources, for {@code resource:} sources; empty if the
 *     platform provides none
 */
record ShellRuntime(
    ProcessTracker tracker,
    Optional<Path> resourceDirectory,
    Set<String> inheritEnvironment,
    long maxDownloadBytes,
    RunAs runAs,
    Optional<StoredResources> stored) {
  /** Default of {@code shell.maxDownloadSize}. */
  static final String DEFAULT_MAX_DOWNLOAD_SIZE = "1GB";

  /** Before the plugin is started: nothing tracked, no resource directory. */
  static final ShellRuntime DETACHED = new ShellRuntime(ProcessTracker.NONE, Optional.empty());

  ShellRuntime {
    requireNonNull(tracker, "tracker is null");
    requireNonNull(resourceDirectory, "resourceDirectory is null");
    inheritEnvironment =
        Set.copyOf(requireNonNull(inheritEnvironment, "inheritEnvironment is null"));
    if (maxDownloadBytes < 0) {
      throw new IllegalArgumentException("maxDownloadBytes must not be negative");
    }
    requireNonNull(runAs, "runAs is null");
    requireNonNull(stored, "stored is null");
  }

  /** No uploaded resources. */
  ShellRuntime(
      ProcessTracker tracker,
      Optional<Path> resourceDirectory,
      Set<String> inheritEnvironment,
      long maxDownloadBytes,
      RunAs runAs) {
    this(tracker, resourceDirectory, inheritEnvironment, maxDownloadBytes, runAs, Optional.empty());
  }

  /** This runtime with the platform's uploaded resources. */
  ShellRuntime withStored(StoredResources resources) {
    return new ShellRuntime(
        tracker,
        resourceDirectory,
        inheritEnvironment,
        maxDownloadBytes,
        runAs,
        Optional.of(resources));
  }

  /** Every task runs as the platform's user. */
  ShellRuntime(
      ProcessTracker tracker,
      Optional<Path> resourceDirectory,
      Set<String> inheritEnvironment,
      long maxDownloadBytes) {
    this(tracker, resourceDirectory, inheritEnvironment, maxDownloadBytes, RunAs.NONE);
  }

  /** No extra inherited names, the default download cap. */
  ShellRuntime(ProcessTracker tracker, Optional<Path> resourceDirectory) {
    this(tracker, resourceDirectory, Set.of(), ByteSize.parse(DEFAULT_MAX_DOWNLOAD_SIZE));
  }
}
