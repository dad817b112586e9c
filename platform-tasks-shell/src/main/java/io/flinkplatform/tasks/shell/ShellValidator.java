package io.flinkplatform.tasks.shell;

import static io.flinkplatform.tasks.shell.ShellOptions.ARGS;
import static io.flinkplatform.tasks.shell.ShellOptions.COMMAND;
import static io.flinkplatform.tasks.shell.ShellOptions.ENV;
import static io.flinkplatform.tasks.shell.ShellOptions.INTERPRETER;
import static io.flinkplatform.tasks.shell.ShellOptions.KILL_GRACE_PERIOD;
import static io.flinkplatform.tasks.shell.ShellOptions.MAX_LOG_SIZE;
import static io.flinkplatform.tasks.shell.ShellOptions.RESOURCES;
import static io.flinkplatform.tasks.shell.ShellOptions.SUCCESS_EXIT_CODES;
import static io.flinkplatform.tasks.shell.ShellOptions.WORKING_DIRECTORY;
import static java.util.Objects.requireNonNull;

import io.flinkplatform.spi.RawParameters;
import io.flinkplatform.spi.TaskConfig;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The checks of {@code shell} options beyond their types: combinations, exit codes, paths. */
final class ShellValidator {
  private final TaskConfig config;
  private final List<String> problems = new ArrayList<>();

  private ShellValidator(TaskConfig config) {
    this.config = config;
  }

  /** Returns one sentence per problem; empty if the config is fine. Never shows option values. */
  static List<String> validate(TaskConfig config) {
    ShellValidator validator = new ShellValidator(requireNonNull(config, "config is null"));
    validator.checkProgram();
    validator.checkWorkingDirectory();
    validator.checkEnv();
    validator.checkExitCodes();
    validator.checkResources();
    validator.checkMaxLogSize();
    validator.check(
        config.duration(KILL_GRACE_PERIOD).map(d -> !d.isNegative()).orElse(true),
        "'killGracePeriod' must not be negative");
    return List.copyOf(validator.problems);
  }

  private void checkProgram() {
    boolean hasCommand = config.has(COMMAND);
    boolean hasArgs = config.has(ARGS);
    check(hasCommand || hasArgs, "either 'command' or 'args' must be given");
    check(!(hasCommand && hasArgs), "'command' and 'args' cannot both be given");
    if (hasCommand) {
      check(!config.requireString(COMMAND).isBlank(), "'command' must not be blank");
      problems.addAll(
          RawParameters.problems(config, COMMAND, config.requireString(COMMAND), "the command"));
      check(!config.string(INTERPRETER).orElse("").isBlank(), "'interpreter' must not be blank");
    }
    if (hasArgs) {
      List<String> args = config.stringList(ARGS);
      check(!args.isEmpty() && !args.get(0).isBlank(), "'args' must start with a program to run");
      args.forEach(
          arg -> problems.addAll(RawParameters.problems(config, ARGS, arg, "the command")));
    }
  }

  private void checkWorkingDirectory() {
    config
        .string(WORKING_DIRECTORY)
        .ifPresent(
            dir -> check(isAbsolutePath(dir), "'workingDirectory' must be an absolute path"));
  }

  private void checkEnv() {
    for (String name : config.stringMap(ENV).keySet()) {
      check(
          ShellEnvironment.isIdentifier(name),
          "'env' has the variable name '"
              + ShellEnvironment.printable(name)
              + "', which is not an identifier: use letters, digits and '_', not starting with a"
              + " digit ([A-Za-z_][A-Za-z0-9_]*)");
    }
  }

  private void checkExitCodes() {
    List<String> codes = config.stringList(SUCCESS_EXIT_CODES);
    check(!codes.isEmpty(), "'successExitCodes' must not be empty");
    for (String code : codes) {
      check(
          isExitCode(code),
          "'successExitCodes' holds '" + code + "', which is not an integer from 0 to 255");
    }
  }

  private void checkResources() {
    config
        .stringMap(RESOURCES)
        .forEach(
            (target, source) -> {
              check(
                  isRelativeInside(target),
                  "'resources' has the target '"
                      + target
                      + "', which is not a relative path inside the working directory");
              try {
                ResourceSource.parse(source);
              } catch (IllegalArgumentException e) {
                problems.add("'resources' entry '" + target + "': " + e.getMessage());
              }
            });
  }

  private void checkMaxLogSize() {
    config
        .string(MAX_LOG_SIZE)
        .ifPresent(
            size -> {
              String outOfRange =
                  "'maxLogSize': '"
                      + size
                      + "' is out of range; allowed are 0 to "
                      + ByteSize.format(ShellOptions.MAX_MAX_LOG_SIZE)
                      + " (10GB)";
              try {
                if (ByteSize.parse(size) > ShellOptions.MAX_MAX_LOG_SIZE) {
                  problems.add(outOfRange);
                }
              } catch (IllegalArgumentException e) {
                // a size too large for a long is out of range as well
                problems.add(
                    ByteSize.isSize(size) ? outOfRange : "'maxLogSize': " + e.getMessage());
              }
            });
  }

  private void check(boolean ok, String problem) {
    if (!ok) {
      problems.add(problem);
    }
  }

  private static boolean isAbsolutePath(String text) {
    try {
      return Path.of(text).isAbsolute();
    } catch (InvalidPathException e) {
      return false;
    }
  }

  private static boolean isRelativeInside(String text) {
    try {
      Path path = Path.of(text);
      Path normal = path.normalize();
      return !text.isBlank()
          && !path.isAbsolute()
          && !normal.toString().isEmpty()
          && !normal.startsWith("..");
    } catch (InvalidPathException e) {
      return false;
    }
  }

  private static boolean isExitCode(String text) {
    try {
      int code = Integer.parseInt(text.trim());
      return code >= 0 && code <= 255;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
