package io.flinkplatform.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.WorkflowValidationException;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TriggerRequest;
import io.flinkplatform.engine.schedule.BackfillRequest;
import io.flinkplatform.engine.schedule.ScheduleSpec;
import io.flinkplatform.engine.testing.TestPlatforms;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * End to end with the real shell and logic plugins: parameter names a shell, linker or runtime
 * would interpret never reach a process (refused at trigger, schedule save, backfill and at the
 * deploy of a sub-workflow that passes them), and upstream outputs are data that reach a command
 * only where the task author lists them.
 */
class ParameterSafetyTest {
  private static TestPlatforms platforms;
  private static PlatformClient client;
  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    platforms = new TestPlatforms();
    client = platforms.start("safety", b -> b.discoverPlugins(true)).client();
    // were BASH_FUNC_x%% imported, 'x' would run it; were BASH_ENV or ENV read, the payload would
    client.deploy(
        Workflow.builder("victim")
            .task("run", "shell", t -> t.option("command", "x 2>/dev/null; echo done"))
            .build());
  }

  @AfterAll
  static void stop() {
    platforms.close();
  }

  private static String payload(String name, Path marker) {
    return name.startsWith("BASH_FUNC_")
        ? "() { touch '" + marker + "'; }"
        : "$(touch '" + marker + "')";
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "BASH_ENV",
        "ENV",
        "BASH_FUNC_x%%",
        "SHELLOPTS",
        "BASHOPTS",
        "PS4",
        "IFS",
        "PATH",
        "LD_PRELOAD",
        "PERL5OPT",
        "PYTHONWARNINGS",
        "JAVA_TOOL_OPTIONS",
        "_JAVA_OPTIONS"
      })
  void aTriggerWithAnInterpretedNameIsRefusedAndStartsNothing(String name) {
    Path marker = dir.resolve("trigger-" + name.replace('%', '_'));
    int before = client.runs("victim", 1000).size();

    assertThatThrownBy(
            () ->
                client.trigger(
                    TriggerRequest.of("victim")
                        .withParameters(Map.of(name, payload(name, marker)))))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> assertThat(e.field()).isEqualTo("parameters." + name))
        .hasMessageContaining("'" + name + "'");

    assertThat(client.runs("victim", 1000)).hasSize(before);
    assertThat(marker).doesNotExist();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "BASH_ENV",
        "ENV",
        "BASH_FUNC_x%%",
        "SHELLOPTS",
        "BASHOPTS",
        "PS4",
        "IFS",
        "PATH",
        "LD_PRELOAD",
        "PERL5OPT",
        "PYTHONWARNINGS",
        "JAVA_TOOL_OPTIONS",
        "_JAVA_OPTIONS"
      })
  void aSubWorkflowPassingAnInterpretedNameIsRefusedAtDeploy(String name) {
    Path marker = dir.resolve("child-" + name.replace('%', '_'));
    String parent = "parent_" + name.replaceAll("[^A-Za-z0-9]", "_");
    int before = client.runs("victim", 1000).size();

    assertThatThrownBy(
            () ->
                client.deploy(
                    Workflow.builder(parent)
                        .task(
                            "child",
                            "sub_workflow",
                            t ->
                                t.option("workflow", "victim")
                                    .option("parameters", Map.of(name, payload(name, marker))))
                        .build()))
        .isInstanceOfSatisfying(
            WorkflowValidationException.class,
            e ->
                assertThat(e.problems())
                    .anySatisfy(
                        p ->
                            assertThat(p)
                                .startsWith(
                                    "task 'child': option 'parameters': parameter name '"
                                        + name
                                        + "'")));

    assertThat(client.workflow(parent)).isEmpty();
    assertThat(client.runs("victim", 1000)).hasSize(before);
    assertThat(marker).doesNotExist();
  }

  @Test
  void aScheduleOrBackfillWithAnInterpretedNameIsRefused() {
    Path marker = dir.resolve("schedule");
    assertThatThrownBy(
            () ->
                client.saveSchedule(
                    ScheduleSpec.builder("every_minute", "victim", "* * * * *")
                        .parameter("BASH_ENV", payload("BASH_ENV", marker))
                        .build()))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> assertThat(e.field()).isEqualTo("parameters.BASH_ENV"));
    assertThat(client.schedule("every_minute")).isEmpty();

    int before = client.runs("victim", 1000).size();
    assertThatThrownBy(
            () ->
                client.backfill(
                    BackfillRequest.builder("victim")
                        .daily(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 1, 2), ZoneOffset.UTC)
                        .parameter("BASH_FUNC_x%%", payload("BASH_FUNC_x%%", marker))
                        .build()))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> assertThat(e.field()).isEqualTo("parameters.BASH_FUNC_x%%"));
    assertThat(client.runs("victim", 1000)).hasSize(before);
    assertThat(marker).doesNotExist();
  }

  @Test
  void aRawSpliceOfAnUpstreamOutputNeedsTheTaskAuthorsOptIn() {
    Workflow.Builder unlisted =
        Workflow.builder("raw_unlisted")
            .task("extract", "shell", t -> t.option("command", "echo '##output table=orders'"))
            .task(
                "load",
                "shell",
                t ->
                    t.option("command", "echo \"##output got=${raw:extract.table}\"")
                        .after("extract"));

    assertThatThrownBy(() -> client.deploy(unlisted.build()))
        .isInstanceOf(WorkflowValidationException.class)
        .hasMessageContaining(
            "task 'load': 'command' splices ${raw:extract.table} but option 'rawParameters' does"
                + " not list 'extract.table'");
    assertThat(client.workflow("raw_unlisted")).isEmpty();

    client.deploy(
        Workflow.builder("raw_listed")
            .task("extract", "shell", t -> t.option("command", "echo '##output table=orders'"))
            .task(
                "load",
                "shell",
                t ->
                    t.option("command", "echo \"##output got=${raw:extract.table}\"")
                        .option("rawParameters", List.of("extract.table"))
                        .after("extract"))
            .build());
    long run = client.trigger("raw_listed");
    assertThat(client.awaitRun(run, Duration.ofSeconds(60)).state()).isEqualTo(RunState.SUCCESS);
    assertThat(output(run, "load")).containsEntry("got", "orders");
  }

  @Test
  void aRunParameterNamedLikeAnOutputCannotReplaceIt() throws Exception {
    client.deploy(
        Workflow.builder("outputs_kept")
            .task("extract", "shell", t -> t.option("command", "echo '##output table=orders'"))
            .task(
                "route",
                "switch",
                t ->
                    t.option("cases", Map.of("load", "extract.table == 'orders'")).after("extract"))
            .task(
                "load",
                "shell",
                t ->
                    t.option("command", "echo \"##output got=${raw:extract.table}\"")
                        .option("rawParameters", List.of("extract.table"))
                        .after("extract", "route"))
            .build());
    int before = client.runs("outputs_kept", 100).size();
    for (String name : List.of("extract.table", "upstream.extract.table")) {
      assertThatThrownBy(
              () ->
                  client.trigger(
                      TriggerRequest.of("outputs_kept")
                          .withParameters(Map.of(name, "users; touch " + dir.resolve("spoof")))))
          .isInstanceOfSatisfying(
              InvalidRequestException.class,
              e -> assertThat(e.field()).isEqualTo("parameters." + name));
    }
    assertThat(client.runs("outputs_kept", 100)).hasSize(before);

    // the outputs reach the switch's expression and the raw splice from the upstream task itself
    long run = client.trigger("outputs_kept");
    assertThat(client.awaitRun(run, Duration.ofSeconds(60)).state()).isEqualTo(RunState.SUCCESS);
    assertThat(output(run, "load")).containsEntry("got", "orders");
    assertThat(output(run, "route")).containsEntry("branch", "load");
    assertThat(dir.resolve("spoof")).doesNotExist();
  }

  private static Map<String, String> output(long run, String task) {
    return client.attempts(run).stream()
        .filter(a -> a.taskId().equals(task))
        .map(TaskAttempt::outputs)
        .findFirst()
        .orElseThrow();
  }
}
