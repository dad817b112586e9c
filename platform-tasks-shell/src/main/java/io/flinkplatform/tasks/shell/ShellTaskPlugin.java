package io.flinkplatform.tasks.shell;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.spi.OptionType;
import io.flinkplatform.spi.PluginContext;
import io.flinkplatform.spi.TaskPlugin;
import io.flinkplatform.spi.TaskType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offers the {@code shell} task type. Listed in {@code META-INF/services}.
 *
 * <p>When the platform starts it, the plugin keeps a record of every process tree it starts in its
 * table {@code t_shell_process}, ends what dead instances on this host left running (at start, then
 * every {@code shell.sweepInterval}), and lets a task that runs again after a failover end the
 * survivors of its earlier claim. Settings (all optional):
 *
 * <ul>
 *   <li>{@code shell.resourceDirectory}: the directory relative resource sources are read from;
 *   <li>{@code shell.hostName}: the name of this machine in process records (default: its host
 *       name);
 *   <li>{@code shell.sweepInterval}: how often to look for survivors of dead instances on this host
 *       (default {@code 1m}; {@code 0s} for only at start);
 *   <li>{@code shell.inheritEnvironment}: comma-separated names of the JVM's environment variables
 *       that processes get beyond {@link ShellEnvironment#INHERITED} (default: none);
 *   <li>{@code shell.maxDownloadSize}: the largest resource an HTTP download may bring (default
 *       {@code 1GB});
 *   <li>{@code shell.runAs.<workspace>}: the OS user the tasks of that workspace run as, and {@code
 *       shell.runAsOthers} the one of every workspace without its own ({@link RunAs}; default: the
 *       platform's user).
 * </ul>
 */
public final class ShellTaskPlugin implements TaskPlugin {
  /** Default of {@code shell.sweepInterval}. */
  public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofMinutes(1);

  static final String RESOURCE_DIRECTORY = "shell.resourceDirectory";
  static final String HOST_NAME = "shell.hostName";
  static final String SWEEP_INTERVAL = "shell.sweepInterval";
  static final String INHERIT_ENVIRONMENT = "shell.inheritEnvironment";
  static final String MAX_DOWNLOAD_SIZE = "shell.maxDownloadSize";
  private static final Logger LOG = LoggerFactory.getLogger(ShellTaskPlugin.class);

  private final ShellTaskType shell = new ShellTaskType();
  private final List<TaskType> taskTypes = List.of(shell);
  private final Object lifecycle = new Object();
  private ScheduledExecutorService sweeper;

  @Override
  public String name() {
    return "shell";
  }

  @Override
  public List<TaskType> taskTypes() {
    return taskTypes;
  }

  @Override
  public Optional<String> schemaLocation() {
    return Optional.of("io/flinkplatform/tasks/shell/db");
  }

  @Override
  public void start(PluginContext context) {
    requireNonNull(context, "context is null");
    Optional<Path> resources = context.setting(RESOURCE_DIRECTORY).map(Path::of);
    resources.ifPresent(
        dir -> {
          if (!dir.isAbsolute() || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(
                RESOURCE_DIRECTORY + " must be an absolute path of an existing directory: " + dir);
          }
        });
    Duration interval =
        context
            .setting(SWEEP_INTERVAL)
            .map(OptionType::parseDuration)
            .orElse(DEFAULT_SWEEP_INTERVAL);
    if (interval.isNegative()) {
      throw new IllegalArgumentException(SWEEP_INTERVAL + " must not be negative: " + interval);
    }
    Set<String> inherit = inheritEnvironment(context.setting(INHERIT_ENVIRONMENT).orElse(""));
    long maxDownload = maxDownloadSize(context.setting(MAX_DOWNLOAD_SIZE));
    RunAs runAs = RunAs.fromSettings(context.settings());
    checkUsers(runAs, context.instanceName());
    DatabaseProcessTracker tracker =
        new DatabaseProcessTracker(
            new ProcessRecords(context.database(), context.clock()),
            Host.local(context.setting(HOST_NAME).orElse(null)),
            ProcessIdentity.current(),
            context.instanceName());
    synchronized (lifecycle) {
      sweep(tracker, context.instanceName());
      ShellRuntime runtime = new ShellRuntime(tracker, resources, inherit, maxDownload, runAs);
      shell.attach(stored(context).map(runtime::withStored).orElse(runtime));
      if (!interval.isZero()) {
        sweeper =
            Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "shell-sweeper-" + context.instanceName());
                  t.setDaemon(true);
                  return t;
                });
        sweeper.scheduleWithFixedDelay(
            () -> sweep(tracker, context.instanceName()),
            interval.toMillis(),
            interval.toMillis(),
            TimeUnit.MILLISECONDS);
      }
    }
    LOG.info(
        "[{}] shell plugin started on host {}; resource directory {}; sweep every {};"
            + " inherited environment {} and {}; downloads up to {}; run-as users {}",
        context.instanceName(),
        tracker.host().name(),
        resources.map(Path::toString).orElse("(none)"),
        interval.isZero() ? "(only at start)" : interval,
        new TreeSet<>(ShellEnvironment.INHERITED),
        inherit.isEmpty() ? "LC_*" : "LC_*, " + new TreeSet<>(inherit),
        ByteSize.format(maxDownload),
        runAs.configured() ? runAs.users() : "(none)");
  }

  /**
   * Looks the configured run-as users up once at start: a missing one is logged (its tasks fail
   * with a clear message until the user exists), not fatal, since the host may create it later.
   */
  private static void checkUsers(RunAs runAs, String instanceName) {
    runAs
        .users()
        .forEach(
            (setting, user) -> {
              try {
                RunAs.lookup(user);
              } catch (RunAs.RunAsException e) {
                LOG.warn(
                    "[{}] shell: {}: {}; tasks of that workspace fail until it exists",
                    instanceName,
                    setting,
                    e.getMessage());
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
  }

  /** The names of {@code shell.inheritEnvironment}: identifiers, separated by commas. */
  static Set<String> inheritEnvironment(String setting) {
    Set<String> names =
        Arrays.stream(setting.split(","))
            .map(String::trim)
            .filter(name -> !name.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
    for (String name : names) {
      if (!ShellEnvironment.isIdentifier(name)) {
        throw new IllegalArgumentException(
            INHERIT_ENVIRONMENT
                + " holds '"
                + ShellEnvironment.printable(name)
                + "', which is not a variable name; list identifiers ([A-Za-z_][A-Za-z0-9_]*)"
                + " separated by commas");
      }
    }
    return names;
  }

  /** {@code shell.maxDownloadSize}, or its default. */
  static long maxDownloadSize(Optional<String> setting) {
    try {
      return ByteSize.parse(setting.orElse(ShellRuntime.DEFAULT_MAX_DOWNLOAD_SIZE));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(MAX_DOWNLOAD_SIZE + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void stop() {
    synchronized (lifecycle) {
      shell.attach(ShellRuntime.DETACHED);
      if (sweeper != null) {
        sweeper.shutdownNow();
        try {
          sweeper.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        sweeper = null;
      }
    }
  }

  /** Never throws: a failed sweep is logged and tried again at the next one. */
  private static void sweep(DatabaseProcessTracker tracker, String instanceName) {
    try {
      tracker.sweep();
    } catch (RuntimeException e) {
      LOG.warn("[{}] shell: looking for processes of dead instances failed", instanceName, e);
    }
  }

  /** The platform's uploaded resources, if it provides them. */
  private static Optional<io.flinkplatform.spi.StoredResources> stored(PluginContext context) {
    try {
      return Optional.of(context.resources());
    } catch (UnsupportedOperationException e) {
      return Optional.empty();
    }
  }
}
