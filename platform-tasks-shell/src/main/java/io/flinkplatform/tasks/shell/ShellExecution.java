package io.flinkplatform.tasks.shell;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.spi.RawParameters;
import io.flinkplatform.spi.TaskContext;
import io.flinkplatform.spi.TaskLog;
import io.flinkplatform.spi.TaskOutcome;
import io.flinkplatform.spi.Workspaces;
import io.flinkplatform.tasks.shell.StopCondition.Stop;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/** One attempt of a {@code shell} task: start the process, stream its output, end it, judge it. */
final class ShellExecution {
  private static final int TAIL_LINES = 20;
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(2);

  private final TaskContext context;
  private final ShellOptions options;
  private final ShellRuntime runtime;
  private final TaskLog log;
  private final CappedLog output;
  private final StopCondition stopCondition;
  private final OutputTail tail = new OutputTail(TAIL_LINES);
  private final OutputProtocol protocol = new OutputProtocol();

  ShellExecution(TaskContext context, ShellOptions options, ShellRuntime runtime) {
    this.context = requireNonNull(context, "context is null");
    this.options = requireNonNull(options, "options is null");
    this.runtime = requireNonNull(runtime, "runtime is null");
    this.log = context.log();
    this.output = new CappedLog(log, options.maxLogBytes());
    this.stopCondition = new StopCondition(context);
  }

  TaskOutcome run() {
    if (stopCondition.cancelled()) {
      return cancelled();
    }
    if (stopCondition.deadlinePassed()) {
      return timedOut();
    }
    List<String> argv;
    try {
      argv = spliceRawParameters();
    } catch (IllegalArgumentException e) {
      return TaskOutcome.fatal(e.getMessage());
    }
    runtime.tracker().endSurvivors(context, log);
    Optional<RunAs.OsUser> user;
    try {
      user = runAsUser();
    } catch (RunAs.RunAsException e) {
      return TaskOutcome.fatal(e.getMessage());
    } catch (InterruptedException e) {
      if (stopCondition.cancelled()) {
        return stopCondition.deadlinePassed() ? timedOut() : cancelled();
      }
      Thread.currentThread().interrupt();
      return TaskOutcome.failure("interrupted before the process started");
    }
    if (options.workingDirectory().isPresent()
        && (user.isPresent() || !Workspaces.DEFAULT.equals(context.workspace()))) {
      return TaskOutcome.fatal(ShellTaskType.ownDirectoryOnly(context.workspace()));
    }
    try (WorkingDirectory dir =
        WorkingDirectory.open(options.workingDirectory(), context.taskId())) {
      new ResourceStager(
              context,
              runtime.resourceDirectory(),
              runtime.maxDownloadBytes(),
              runtime.runAs().confines(context.workspace()),
              runtime.stored())
          .stage(options.resources(), dir.path());
      List<String> command = argv;
      if (user.isPresent()) {
        handOver(dir, user.get());
        command = new ArrayList<>(runtime.runAs().command(user.get()));
        command.addAll(argv);
      }
      ProcessBuilder builder = SessionLauncher.builder(command).directory(dir.path().toFile());
      String token = UUID.randomUUID().toString();
      ShellEnvironment.Omitted omitted =
          ShellEnvironment.fill(
              builder.environment(),
              System.getenv(),
              runtime.inheritEnvironment(),
              context,
              options,
              token);
      user.ifPresent(u -> RunAs.identity(builder.environment(), u));
      if (!omitted.refused().isEmpty()) {
        log.line(
            "[shell] did not export parameters whose names are not allowed as variable names"
                + " (not an identifier, or reserved): "
                + ShellEnvironment.printable(omitted.refused()));
      }
      if (!omitted.unholdable().isEmpty()) {
        log.line(
            "[shell] left out variables the system cannot hold (a NUL character): "
                + ShellEnvironment.printable(omitted.unholdable()));
      }
      Process process = builder.start();
      ProcessTree tree = new ProcessTree(process.toHandle(), SessionLauncher.available());
      long record = 0;
      try {
        log.line("[shell] started process " + process.pid() + " in " + dir.path());
        record =
            runtime
                .tracker()
                .track(
                    context,
                    ProcessIdentity.of(process.toHandle()),
                    token,
                    options.killGracePeriod(),
                    log);
        return supervise(process, tree);
      } finally {
        if (process.isAlive()) {
          tree.terminate(Duration.ZERO); // only after an unexpected exception
        }
        runtime.tracker().untrack(record, log);
      }
    } catch (IOException e) {
      return TaskOutcome.failure("could not start the process: " + e.getMessage());
    } catch (InterruptedException e) {
      if (stopCondition.cancelled()) {
        return stopCondition.deadlinePassed() ? timedOut() : cancelled();
      }
      Thread.currentThread().interrupt();
      return TaskOutcome.failure("interrupted before the process started");
    }
  }

  /**
   * The OS user the host configured for the run's workspace ({@link RunAs}), if any.
   *
   * @throws RunAs.RunAsException naming the setting and the user, if the user does not exist
   */
  private Optional<RunAs.OsUser> runAsUser() throws RunAs.RunAsException, InterruptedException {
    String workspace = context.workspace();
    Optional<String> name = runtime.runAs().userFor(workspace);
    if (name.isEmpty()) {
      return Optional.empty();
    }
    RunAs.OsUser user;
    try {
      user = RunAs.lookup(name.get());
      if (user.uid() == 0) {
        throw new RunAs.RunAsException("it is root (uid 0), and a task never runs as root");
      }
    } catch (RunAs.RunAsException e) {
      throw new RunAs.RunAsException(
          "cannot run as the OS user of workspace '"
              + workspace
              + "' ("
              + runtime.runAs().settingFor(workspace)
              + "): "
              + e.getMessage()
              + "; the process was not started");
    }
    log.line(
        "[shell] running as OS user "
            + user.name()
            + " (uid "
            + user.uid()
            + ", gid "
            + user.gid()
            + "), set for workspace '"
            + workspace
            + "' by "
            + runtime.runAs().settingFor(workspace));
    return Optional.of(user);
  }

  /**
   * Makes the attempt's fresh working directory, with everything staged in it, the run-as user's (a
   * named working directory is refused under a run-as user, see {@code RunAs.confines}).
   */
  private void handOver(WorkingDirectory dir, RunAs.OsUser user) throws IOException {
    RunAs.chown(dir.path(), user);
  }

  /** The program and its arguments with every {@code ${raw:name}} replaced. */
  private List<String> spliceRawParameters() {
    List<String> argv = new ArrayList<>();
    Set<String> spliced = new TreeSet<>();
    Map<String, String> values = rawValues();
    for (String arg : options.argv()) {
      spliced.addAll(RawParameters.names(arg));
      argv.add(
          RawParameters.splice(arg, context.config(), values, "parameters and upstream outputs"));
    }
    if (!spliced.isEmpty()) {
      log.line("[shell] spliced raw parameters into the command: " + spliced);
    }
    return argv;
  }

  /** The values a {@code ${raw:name}} may take: parameters, and upstream outputs as task.key. */
  private Map<String, String> rawValues() {
    Map<String, String> values = new LinkedHashMap<>(context.parameters());
    context
        .upstreamOutputs()
        .forEach((task, outputs) -> outputs.forEach((k, v) -> values.put(task + "." + k, v)));
    return values;
  }

  private TaskOutcome supervise(Process process, ProcessTree tree) {
    closeQuietly(process);
    String prefix = "shell-" + context.taskId();
    OutputPump out = OutputPump.start(process.getInputStream(), prefix + "-out", this::onStdout);
    OutputPump err = OutputPump.start(process.getErrorStream(), prefix + "-err", this::onStderr);
    Stop stop = stopCondition.await(process);
    if (stop == Stop.EXITED) {
      return exited(process.exitValue(), out, err);
    }
    int killed;
    if (stop == Stop.INTERRUPTED) {
      killed = tree.terminate(Duration.ZERO);
    } else {
      // The engine interrupts the thread as part of a kill or timeout, before or after the wait
      // ended: that interrupt is this very cancellation, so it must not cut the grace short, and
      // once answered it is cleared, so the output is still drained.
      killed = tree.terminate(options.killGracePeriod(), false);
      Thread.interrupted();
    }
    log.line("[shell] ended the process tree (" + killed + " needed SIGKILL)");
    finishOutput(out, err);
    switch (stop) {
      case CANCELLED:
        return cancelled();
      case TIMED_OUT:
        return timedOut();
      default:
        Thread.currentThread().interrupt();
        return TaskOutcome.failure("interrupted; the process tree was ended");
    }
  }

  private TaskOutcome exited(int code, OutputPump out, OutputPump err) {
    finishOutput(out, err);
    log.line("[shell] exit code " + code);
    if (options.successExitCodes().contains(code)) {
      String overflow = protocol.overflow();
      return overflow == null
          ? TaskOutcome.success(protocol.outputs())
          : TaskOutcome.fatal(overflow);
    }
    return TaskOutcome.failure("exit code " + code + "; " + tail.describe());
  }

  private void onStdout(String line, boolean lineStart) {
    tail.add(line);
    String note = protocol.accept(line, lineStart);
    output.line(line);
    if (note != null) {
      log.line(note);
    }
  }

  private void onStderr(String line, boolean lineStart) {
    String prefixed = "[stderr] " + line;
    tail.add(prefixed);
    output.line(prefixed);
  }

  /**
   * Waits a little for both pumps to reach the end of their streams. Processes left running in the
   * background may hold the streams open; past the wait their output is no longer read.
   */
  private void finishOutput(OutputPump out, OutputPump err) {
    long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
    boolean ended;
    try {
      ended = out.awaitEnd(deadline) & err.awaitEnd(deadline);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ended = false;
    }
    if (!ended) {
      out.abandon();
      err.abandon();
      log.line("[shell] processes left in the background hold the output open; stopped reading it");
    }
    String dropped = output.summary();
    if (dropped != null) {
      log.line(dropped);
    }
  }

  private TaskOutcome cancelled() {
    return TaskOutcome.failure(
        "cancelled: " + Objects.toString(context.cancellation().reason(), "no reason given"));
  }

  private TaskOutcome timedOut() {
    return TaskOutcome.failure(
        "timed out: the deadline " + context.deadline().orElseThrow() + " passed");
  }

  /** The process reads no input: close its stdin so that reading it ends at once. */
  private static void closeQuietly(Process process) {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // Nothing to do: the process may already be gone.
    }
  }
}
