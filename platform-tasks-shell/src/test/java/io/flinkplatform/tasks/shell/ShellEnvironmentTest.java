package io.flinkplatform.tasks.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.testing.TestTaskContext;
import io.flinkplatform.spi.TaskOutcome;
import io.flinkplatform.spi.TaskOutcome.Success;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a process finds in its environment: no parameter under a name a shell, the linker or a
 * runtime acts on, and nothing of the JVM's environment beyond an allow-list (the surefire
 * configuration of this module puts secrets there).
 */
class ShellEnvironmentTest {
  private static final String JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();

  @TempDir Path tmp;

  /** One way a parameter could make a program act: its value, and a command that would heed it. */
  private record Gadget(String name, Function<Path, String> value, String command) {}

  private List<Gadget> gadgets() throws Exception {
    Path fakeBin = Files.createDirectories(tmp.resolve("fake-bin"));
    Path fakeCat = fakeBin.resolve("cat");
    Files.writeString(fakeCat, "#!/bin/sh\ntouch \"$MARKER_FROM_FAKE\"\n");
    Files.setPosixFilePermissions(fakeCat, PosixFilePermissions.fromString("rwxr-xr-x"));
    Function<Path, String> substitution = marker -> "$(touch " + marker + ")";
    return List.of(
        new Gadget("BASH_ENV", substitution, "echo ran"),
        new Gadget("ENV", substitution, "/bin/sh -i -c true </dev/null 2>/dev/null; echo ran"),
        new Gadget("BASH_FUNC_x%%", marker -> "() { touch " + marker + "; }", "x; echo ran"),
        new Gadget("SHELLOPTS", marker -> "xtrace", "echo ran"),
        new Gadget("BASHOPTS", substitution, "echo ran"),
        new Gadget("PS4", substitution, "set -x; echo ran"),
        new Gadget("IFS", substitution, "echo ran"),
        new Gadget("PATH", marker -> fakeBin.toString(), "cat /dev/null; echo ran"),
        new Gadget("LD_PRELOAD", substitution, "echo ran"),
        new Gadget(
            "PERL5OPT",
            marker -> "-Mstrict;system(q(touch),q(" + marker + "))",
            "perl -e 1 2>/dev/null; echo ran"),
        new Gadget("PYTHONWARNINGS", substitution, "echo ran"),
        new Gadget(
            "JAVA_TOOL_OPTIONS",
            marker -> "-Xlog:gc:file=" + marker,
            JAVA + " -version 2>/dev/null; echo ran"),
        new Gadget(
            "_JAVA_OPTIONS",
            marker -> "-Xlog:gc:file=" + marker,
            JAVA + " -version 2>/dev/null; echo ran"));
  }

  private static TaskOutcome run(TestTaskContext context, ShellRuntime runtime) {
    ShellTaskType type = new ShellTaskType();
    type.attach(runtime);
    return type.execute(context);
  }

  @Test
  void parametersUnderReservedNamesAreNeverExportedAndTheCommandStillRuns() throws Exception {
    List<Gadget> gadgets = gadgets();
    for (int i = 0; i < gadgets.size(); i++) {
      Gadget gadget = gadgets.get(i);
      Path dir = Files.createDirectories(tmp.resolve("run-" + i));
      Path marker = dir.resolve("marker");
      String value = gadget.value().apply(marker);
      TestTaskContext context =
          TestTaskContext.of(
                  Map.of(
                      "command",
                      "printenv '" + gadget.name() + "' > seen.txt; " + gadget.command(),
                      "workingDirectory",
                      dir.toString()),
                  new ShellTaskType().options())
              .parameters(
                  Map.of(
                      gadget.name(), value, "day", "2026-03-15", "MARKER_FROM_FAKE", "" + marker));

      TaskOutcome outcome = run(context, ShellRuntime.DETACHED);

      assertThat(outcome).as(gadget.name()).isInstanceOf(Success.class);
      assertThat(context.memoryLog().lines()).as(gadget.name()).contains("ran");
      assertThat(marker).as(gadget.name()).doesNotExist();
      assertThat(Files.readString(dir.resolve("seen.txt")).strip())
          .as(gadget.name())
          .isNotEqualTo(value);
      assertThat(context.memoryLog().lines())
          .as(gadget.name())
          .filteredOn(line -> line.startsWith("[shell] did not export"))
          .containsExactly(
              "[shell] did not export parameters whose names are not allowed as variable names"
                  + " (not an identifier, or reserved): ["
                  + gadget.name()
                  + "]");
    }
  }

  @Test
  void ordinaryParametersAreExportedAndRefusedNamesAreLoggedOncePrintably() throws Exception {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("day", "2026-03-15");
    parameters.put("path", "lower-case is ordinary");
    parameters.put("evil\nINFO forged line", "1");
    parameters.put("x".repeat(300), "2");
    // not an upstream output: those reach the task only through upstreamOutputs(), so a
    // parameter of that shape is refused like any other name that is not an identifier
    parameters.put("extract.rows", "12");
    TestTaskContext context =
        TestTaskContext.of(
                Map.of("command", "echo \"$day|$path|$UPSTREAM_EXTRACT_ROWS\""),
                new ShellTaskType().options())
            .parameters(parameters)
            .upstream(Map.of("extract", Map.of("rows", "12")));

    assertThat(run(context, ShellRuntime.DETACHED)).isInstanceOf(Success.class);

    List<String> refused =
        context.memoryLog().lines().stream()
            .filter(line -> line.startsWith("[shell] did not export"))
            .toList();
    assertThat(refused).hasSize(1);
    assertThat(refused.get(0))
        .endsWith(": [evil?INFO forged line, extract.rows, " + "x".repeat(64) + "…]")
        .doesNotContain("\n");
    assertThat(context.memoryLog().lines()).contains("2026-03-15|lower-case is ordinary|12");
  }

  @Test
  void printableNamesHoldNoCharacterThatCouldForgeOrHideLogText() {
    assertThat(ShellEnvironment.printable("a\r\nb\u0085c\u2028d\u202Ee\uD800f\tg"))
        .isEqualTo("a??b?c?d?e?f?g");
    assertThat(ShellEnvironment.printable(List.of("a", "b\n"))).isEqualTo("[a, b?]");
    List<String> many = java.util.stream.IntStream.range(0, 25).mapToObj(i -> "n" + i).toList();
    assertThat(ShellEnvironment.printable(many)).endsWith("n19, and 5 more]");
  }

  @Test
  void theProcessSeesOnlyTheAllowListOfTheJvmEnvironment() throws Exception {
    assertThat(System.getenv())
        .as("set by the surefire configuration of this module")
        .containsEntry("PLATFORM_DB_PASSWORD", "s3cr3t-db")
        .containsEntry("FP_SQL_KEY", "s3cr3t-key")
        .containsEntry("FP_OTHER", "x");
    TestTaskContext context =
        TestTaskContext.of(Map.of("args", List.of("/usr/bin/env")), new ShellTaskType().options())
            .parameters(Map.of("day", "2026-03-15"));

    assertThat(run(context, ShellRuntime.DETACHED)).isInstanceOf(Success.class);

    Map<String, String> seen = environment(context);
    Set<String> platform =
        Set.of(
            "PLATFORM_RUN_ID",
            "PLATFORM_TASK_ID",
            "PLATFORM_ATTEMPT",
            "PLATFORM_FENCING_EPOCH",
            "PLATFORM_LOGICAL_DATE",
            "PLATFORM_PROCESS_TOKEN");
    Map<String, String> inherited = new HashMap<>(seen);
    inherited.keySet().removeAll(platform);
    inherited.remove("day");
    assertThat(inherited.keySet())
        .allSatisfy(
            name ->
                assertThat(ShellEnvironment.INHERITED.contains(name) || name.startsWith("LC_"))
                    .as(name)
                    .isTrue());
    System.getenv()
        .forEach(
            (name, value) -> {
              if (!ShellEnvironment.INHERITED.contains(name) && !name.startsWith("LC_")) {
                assertThat(seen).as(name).doesNotContainKey(name);
              }
            });
    assertThat(seen)
        .containsEntry("day", "2026-03-15")
        .containsKeys(platform.toArray(String[]::new));
    assertThat(seen.get("PATH")).isEqualTo(System.getenv("PATH"));
    assertThat(String.join("\n", context.memoryLog().lines()))
        .doesNotContain("s3cr3t-db", "s3cr3t-key", "FP_OTHER", "FP_INHERITED_OK");
  }

  @Test
  void namesTheHostListsAreInherited() throws Exception {
    TestTaskContext context =
        TestTaskContext.of(Map.of("args", List.of("/usr/bin/env")), new ShellTaskType().options());
    ShellRuntime runtime =
        new ShellRuntime(
            ProcessTracker.NONE,
            Optional.empty(),
            ShellTaskPlugin.inheritEnvironment(" FP_INHERITED_OK ,, NOT_SET_ANYWHERE"),
            1024);

    assertThat(run(context, runtime)).isInstanceOf(Success.class);

    Map<String, String> seen = environment(context);
    assertThat(seen)
        .containsEntry("FP_INHERITED_OK", "passed-on")
        .doesNotContainKeys("NOT_SET_ANYWHERE", "FP_SQL_KEY", "PLATFORM_DB_PASSWORD", "FP_OTHER");
  }

  @Test
  void theInheritSettingHoldsOnlyVariableNames() {
    assertThat(ShellTaskPlugin.inheritEnvironment("")).isEmpty();
    assertThatThrownBy(() -> ShellTaskPlugin.inheritEnvironment("A, B=C"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "shell.inheritEnvironment holds 'B=C', which is not a variable name; list identifiers"
                + " ([A-Za-z_][A-Za-z0-9_]*) separated by commas");
  }

  @Test
  void envOptionNamesMustBeIdentifiers() {
    ShellTaskType type = new ShellTaskType();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("LC_ALL", "C.UTF-8");
    env.put("BASH_FUNC_x%%", "() { id; }");
    env.put("A\nB", "1");

    List<String> problems =
        type.validate(
            io.flinkplatform.spi.TaskConfig.of(
                Map.of("command", "true", "env", env), type.options()));

    assertThat(problems)
        .containsExactlyInAnyOrder(
            "'env' has the variable name 'BASH_FUNC_x%%', which is not an identifier: use letters,"
                + " digits and '_', not starting with a digit ([A-Za-z_][A-Za-z0-9_]*)",
            "'env' has the variable name 'A?B', which is not an identifier: use letters, digits"
                + " and '_', not starting with a digit ([A-Za-z_][A-Za-z0-9_]*)");
  }

  /** The NAME=value lines {@code env} printed, one variable per line. */
  private static Map<String, String> environment(TestTaskContext context) {
    return context.memoryLog().lines().stream()
        .filter(line -> !line.startsWith("[shell] ") && line.indexOf('=') > 0)
        .collect(
            Collectors.toMap(
                line -> line.substring(0, line.indexOf('=')),
                line -> line.substring(line.indexOf('=') + 1),
                (a, b) -> b));
  }
}
