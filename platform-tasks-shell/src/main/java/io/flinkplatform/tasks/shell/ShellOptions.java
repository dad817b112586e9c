package io.flinkplatform.tasks.shell;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.spi.OptionType;
import io.flinkplatform.spi.RawParameters;
import io.flinkplatform.spi.TaskConfig;
import io.flinkplatform.spi.TaskOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The options of the {@code shell} task type, declared for the engine and read back, already
 * validated, as one immutable value per attempt.
 *
 * @param argv the program and its arguments ({@code interpreter -c command}, or {@code args})
 * @param workingDirectory the directory to run in; empty for a fresh temporary one
 * @param env extra environment variables, named by identifiers
 * @param successExitCodes the exit codes that count as success
 * @param killGracePeriod how long the process tree may take to exit after SIGTERM
 * @param resources files to stage in the working directory: relative target path to source
 * @param maxLogBytes how much output goes to the log, in bytes
 */
record ShellOptions(
    List<String> argv,
    Optional<Path> workingDirectory,
    Map<String, String> env,
    Set<Integer> successExitCodes,
    Duration killGracePeriod,
    Map<String, String> resources,
    long maxLogBytes) {

  static final String COMMAND = "command";
  static final String ARGS = "args";
  static final String INTERPRETER = "interpreter";
  static final String WORKING_DIRECTORY = "workingDirectory";
  static final String ENV = "env";
  static final String SUCCESS_EXIT_CODES = "successExitCodes";
  static final String KILL_GRACE_PERIOD = "killGracePeriod";
  static final String RESOURCES = "resources";
  static final String MAX_LOG_SIZE = "maxLogSize";
  static final String DEFAULT_MAX_LOG_SIZE = "64MB";

  /** The largest {@code maxLogSize}: 10 GiB. */
  static final long MAX_MAX_LOG_SIZE = 10L << 30;

  static final List<TaskOption> DECLARED =
      List.of(
          TaskOption.optional(
              COMMAND,
              OptionType.STRING,
              null,
              "Script run by the interpreter as 'interpreter -c command'; give either this or"
                  + " 'args'."),
          TaskOption.optional(
              ARGS,
              OptionType.STRING_LIST,
              null,
              "Program and arguments executed directly, without a shell; give either this or"
                  + " 'command'."),
          TaskOption.optional(
              INTERPRETER,
              OptionType.STRING,
              "/bin/bash",
              "Program that runs 'command' (called with '-c command'); ignored with 'args'."),
          TaskOption.optional(
              WORKING_DIRECTORY,
              OptionType.STRING,
              null,
              "Absolute path of an existing directory to run in; by default a fresh temporary"
                  + " directory that is deleted after the attempt."),
          TaskOption.optional(
              ENV,
              OptionType.STRING_MAP,
              null,
              "Extra environment variables, named by identifiers ([A-Za-z_][A-Za-z0-9_]*); they"
                  + " override inherited variables and parameters of the same name."),
          TaskOption.optional(
              SUCCESS_EXIT_CODES,
              OptionType.STRING_LIST,
              List.of("0"),
              "Exit codes (integers 0 to 255) that count as success."),
          TaskOption.optional(
              KILL_GRACE_PERIOD,
              OptionType.DURATION,
              "5s",
              "How long the process tree may take to exit after SIGTERM before it gets SIGKILL."),
          TaskOption.optional(
              RESOURCES,
              OptionType.STRING_MAP,
              null,
              "Files or directories copied into the working directory before the process starts:"
                  + " relative target path to source (absolute path, path relative to the"
                  + " shell.resourceDirectory setting, file: URI, classpath:name or http(s) URL)."),
          TaskOption.optional(
              MAX_LOG_SIZE,
              OptionType.STRING,
              DEFAULT_MAX_LOG_SIZE,
              "How much output (UTF-8 bytes, e.g. 512KB, 64MB, 1GB) is written to the attempt's"
                  + " log; past it output is still read but no longer logged. At most 10GB;"
                  + " the platform's maxTaskLogSize caps every task log as well."),
          RawParameters.declaration(
              "Names that 'command' or 'args' may splice as ${raw:name}: parameters, or task.key"
                  + " for an output of a task directly upstream; the value becomes code, so list"
                  + " only names whose values you trust."));

  ShellOptions {
    argv = List.copyOf(requireNonNull(argv, "argv is null"));
    requireNonNull(workingDirectory, "workingDirectory is null");
    env = Map.copyOf(requireNonNull(env, "env is null"));
    successExitCodes = Set.copyOf(requireNonNull(successExitCodes, "successExitCodes is null"));
    requireNonNull(killGracePeriod, "killGracePeriod is null");
    resources =
        Collections.unmodifiableMap(
            new LinkedHashMap<>(requireNonNull(resources, "resources is null")));
  }

  /** Reads a config that {@link ShellValidator#validate} accepted. */
  static ShellOptions from(TaskConfig config) {
    requireNonNull(config, "config is null");
    List<String> argv =
        config
            .string(COMMAND)
            .map(script -> List.of(config.requireString(INTERPRETER), "-c", script))
            .orElseGet(() -> config.stringList(ARGS));
    return new ShellOptions(
        argv,
        config.string(WORKING_DIRECTORY).map(Path::of),
        config.stringMap(ENV),
        config.stringList(SUCCESS_EXIT_CODES).stream()
            .map(code -> Integer.valueOf(code.trim()))
            .collect(Collectors.toUnmodifiableSet()),
        config.duration(KILL_GRACE_PERIOD).orElse(Duration.ofSeconds(5)),
        config.stringMap(RESOURCES),
        Math.min(
            MAX_MAX_LOG_SIZE,
            ByteSize.parse(config.string(MAX_LOG_SIZE).orElse(DEFAULT_MAX_LOG_SIZE))));
  }
}
