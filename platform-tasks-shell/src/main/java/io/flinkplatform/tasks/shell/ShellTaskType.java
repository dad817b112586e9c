package io.flinkplatform.tasks.shell;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.spi.TaskConfig;
import io.flinkplatform.spi.TaskContext;
import io.flinkplatform.spi.TaskOption;
import io.flinkplatform.spi.TaskOutcome;
import io.flinkplatform.spi.TaskType;
import java.util.List;

/**
 * The {@code shell} task type: runs a script through an interpreter, or a program with arguments,
 * as a local process tree. Stateless, so one instance serves many attempts at once.
 */
final class ShellTaskType implements TaskType {
  static final String ID = "shell";

  private volatile ShellRuntime runtime = ShellRuntime.DETACHED;

  /** Called by the plugin when the platform starts it, and with {@code DETACHED} when it stops. */
  void attach(ShellRuntime runtime) {
    this.runtime = requireNonNull(runtime, "runtime is null");
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String description() {
    return "Runs a script or a program as a local process and ends its whole process tree on"
        + " cancellation or timeout.";
  }

  @Override
  public List<TaskOption> options() {
    return ShellOptions.DECLARED;
  }

  @Override
  public List<String> validate(TaskConfig config) {
    return ShellValidator.validate(config);
  }

  @Override
  public List<String> validate(TaskConfig config, String workspace) {
    List<String> problems = new java.util.ArrayList<>(validate(config));
    config
        .stringMap(ShellOptions.RESOURCES)
        .forEach(
            (target, source) -> {
              try {
                ResourceSource parsed = ResourceSource.parse(source);
                ResourceSource.refusedIn(workspace, runtime.runAs().confines(workspace), parsed)
                    .ifPresent(p -> problems.add("'resources' entry '" + target + "': " + p));
                if (parsed instanceof ResourceSource.Stored uploaded) {
                  storedProblem(workspace, uploaded.reference())
                      .ifPresent(p -> problems.add("'resources' entry '" + target + "': " + p));
                }
              } catch (IllegalArgumentException e) {
                // reported by validate(config)
              }
            });
    if (runtime.runAs().confines(workspace)
        && config.string(ShellOptions.WORKING_DIRECTORY).isPresent()) {
      problems.add(ownDirectoryOnly(workspace));
    }
    return problems;
  }

  /** Why a task of {@code workspace} cannot use the uploaded resource {@code reference}. */
  private java.util.Optional<String> storedProblem(String workspace, String reference) {
    return runtime
        .stored()
        .map(s -> s.problem(workspace, reference))
        .orElse(java.util.Optional.of("this platform provides no resource store"));
  }

  /**
   * Why a task may not name its working directory: outside the default workspace (or under a run-as
   * user) staging there would write, and hand over, directories of the platform's user.
   */
  static String ownDirectoryOnly(String workspace) {
    return "option 'workingDirectory': a task of workspace '"
        + workspace
        + "' (or one that runs as another OS user) runs in a fresh working directory of its own;"
        + " naming one is refused, since staging there would write with the platform's rights";
  }

  @Override
  public TaskOutcome execute(TaskContext context) {
    requireNonNull(context, "context is null");
    List<String> problems = validate(context.config());
    if (!problems.isEmpty()) {
      return TaskOutcome.fatal("invalid options: " + String.join("; ", problems));
    }
    return new ShellExecution(context, ShellOptions.from(context.config()), runtime).run();
  }
}
