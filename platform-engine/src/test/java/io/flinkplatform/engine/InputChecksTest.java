package io.flinkplatform.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.dag.Bounds;
import io.flinkplatform.engine.dag.ParamType;
import io.flinkplatform.engine.dag.RetryPolicy;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.dag.WorkflowJson;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TriggerRequest;
import io.flinkplatform.engine.schedule.BackfillRequest;
import io.flinkplatform.engine.schedule.ScheduleSpec;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.spi.TaskContext;
import io.flinkplatform.spi.TaskOption;
import io.flinkplatform.spi.TaskOutcome;
import io.flinkplatform.spi.TaskPlugin;
import io.flinkplatform.spi.TaskType;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input of every kind gets a typed error naming its field, and leaves no row behind: workflow
 * JSON, built workflows, triggers, schedules, backfills, child runs and global parameters.
 */
class InputChecksTest {
  private static TestPlatforms platforms;
  private static PlatformClient client;

  @BeforeAll
  static void start() {
    platforms = new TestPlatforms();
    client = platforms.start("inputs", b -> b.plugin(new ChildStarter())).client();
    client.deploy(
        Workflow.builder("target")
            .parameter("note", "free")
            .parameter("day", ParamType.DATE, "${date}")
            .task("a", "noop")
            .build());
  }

  @AfterAll
  static void stop() {
    platforms.close();
  }

  private static Arguments json(String what, String document, String named) {
    return Arguments.of(what, document, named);
  }

  private static final String TASK = "{\"id\": \"a\", \"type\": \"noop\"";

  static Stream<Arguments> badJson() {
    return Stream.of(
        json("text priority", "{\"name\": \"j\", \"priority\": \"high\"}", "priority:"),
        json("huge priority", "{\"name\": \"j\", \"priority\": 1e30}", "priority:"),
        json("fraction priority", "{\"name\": \"j\", \"priority\": 1.5}", "priority:"),
        json(
            "boolean maxActiveRuns",
            "{\"name\": \"j\", \"maxActiveRuns\": true}",
            "maxActiveRuns:"),
        json(
            "text maxParallelTasks",
            "{\"name\": \"j\", \"maxParallelTasks\": \"2\"}",
            "maxParallelTasks:"),
        json(
            "huge maxRetries",
            "{\"name\": \"j\", \"tasks\": [" + TASK + ", \"retry\": {\"maxRetries\": 1e12}}]}",
            "tasks[0] (task 'a').retry.maxRetries:"),
        json(
            "object workflow parameter",
            "{\"name\": \"j\", \"parameters\": {\"p\": {\"x\": 1}}}",
            "parameters.p:"),
        json(
            "null workflow parameter",
            "{\"name\": \"j\", \"parameters\": {\"p\": null}}",
            "parameters.p:"),
        json(
            "null option",
            "{\"name\": \"j\", \"tasks\": [" + TASK + ", \"options\": {\"x\": null}}]}",
            "tasks[0] (task 'a').options.x:"),
        json("number description", "{\"name\": \"j\", \"description\": 5}", "description:"),
        json(
            "text task priority",
            "{\"name\": \"j\", \"tasks\": [" + TASK + ", \"priority\": \"9\"}]}",
            "tasks[0] (task 'a').priority:"),
        json(
            "number timeout",
            "{\"name\": \"j\", \"tasks\": [" + TASK + ", \"timeout\": 10}]}",
            "tasks[0] (task 'a').timeout:"),
        json("tasks not an array", "{\"name\": \"j\", \"tasks\": {}}", "tasks:"),
        json("parameters not an object", "{\"name\": \"j\", \"parameters\": [1]}", "parameters:"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badJson")
  void workflowJsonNeverCoerces(String what, String document, String named) throws Exception {
    long before = rows();
    assertThatThrownBy(() -> WorkflowJson.read(document))
        .isInstanceOfSatisfying(
            WorkflowValidationException.class,
            e -> assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith(named)));
    assertThat(rows()).isEqualTo(before);
  }

  private static Arguments built(String what, Consumer<Workflow.Builder> change, String named) {
    return Arguments.of(what, change, named);
  }

  static Stream<Arguments> badDefinitions() {
    Consumer<Workflow.Builder> manyTasks =
        b -> {
          for (int i = 1; i <= Bounds.MAX_TASKS; i++) {
            b.task("t" + i, "noop");
          }
        };
    Consumer<Workflow.Builder> fanOut =
        b -> {
          for (int i = 0; i <= Bounds.MAX_EDGES_PER_TASK; i++) {
            b.task("t" + i, "noop", t -> t.after("a"));
          }
        };
    return Stream.of(
        built("priority above the bound", b -> b.priority(1_001), "priority must be -1000 to 1000"),
        built(
            "priority at int's end",
            b -> b.priority(Integer.MAX_VALUE),
            "priority must be -1000 to 1000"),
        built(
            "task priority below the bound",
            b -> b.task("p", "noop", t -> t.priority(-5_000)),
            "task 'p': priority must be -1000 to 1000"),
        built(
            "too many retries",
            b -> b.task("r", "noop", t -> t.retry(RetryPolicy.fixed(101, Duration.ZERO))),
            "task 'r': retry.maxRetries must be at most 100"),
        built(
            "retry delay too long",
            b -> b.task("r", "noop", t -> t.retry(RetryPolicy.fixed(1, Duration.ofDays(2)))),
            "task 'r': retry delays must be at most"),
        built(
            "timeout too long",
            b -> b.task("l", "noop", t -> t.timeout(Duration.ofDays(31))),
            "task 'l': timeout must be at most"),
        built("too many tasks", manyTasks, "the workflow has " + (Bounds.MAX_TASKS + 1) + " tasks"),
        built(
            "fan-out too wide",
            fanOut,
            "task 'a' has " + (Bounds.MAX_EDGES_PER_TASK + 1) + " outgoing edges"),
        built(
            "description too long",
            b -> b.description("d".repeat(Bounds.MAX_DESCRIPTION + 1)),
            "description: 1025 characters"),
        built(
            "offset beyond a long",
            b -> b.parameter("x", "${date+99999999999999999999d}"),
            "workflow parameter 'x': '${date+99999999999999999999d}' has an offset that is not"),
        built(
            "offset beyond the years",
            b -> b.task("m", "noop", t -> t.parameter("x", "${date+999999999y}")),
            "task 'm' parameter 'x': '${date+999999999y}' moves the date out of range"),
        built(
            "reserved workflow parameter name",
            b -> b.parameter("BASH_ENV", "$(touch /tmp/x)"),
            "workflow parameters: parameter name 'BASH_ENV' is reserved"),
        built(
            "dotted task parameter name",
            b -> b.task("d", "noop", t -> t.parameter("extract.rows", "1")),
            "task 'd' parameters: parameter name 'extract.rows' is not an identifier"),
        built(
            "reserved typed parameter name",
            b -> b.parameterType("LD_PRELOAD", ParamType.STRING),
            "parameterTypes: parameter name 'LD_PRELOAD' is reserved"),
        built(
            "date with trailing whitespace",
            b -> b.parameter("day", ParamType.DATE, "2026-03-15\n\t"),
            "workflow parameter parameters.day: parameter 'day' is declared DATE"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badDefinitions")
  void deployRefusesOutOfBoundsDefinitions(
      String what, Consumer<Workflow.Builder> change, String named) throws Exception {
    Workflow.Builder b = Workflow.builder("bounded").task("a", "noop");
    change.accept(b);
    Workflow w = b.build();
    long before = rows();
    assertThatThrownBy(() -> client.deploy(w))
        .isInstanceOfSatisfying(
            WorkflowValidationException.class,
            e -> assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith(named)));
    assertThat(client.workflow("bounded")).isEmpty();
    assertThat(rows()).isEqualTo(before);
  }

  static Stream<Arguments> badTriggers() {
    return Stream.of(
        Arguments.of("BASH_ENV", Map.of("BASH_ENV", "$(touch /tmp/m)"), "parameters.BASH_ENV"),
        Arguments.of(
            "BASH_FUNC", Map.of("BASH_FUNC_echo%%", "() { id; }"), "parameters.BASH_FUNC_echo%%"),
        Arguments.of("dotted name", Map.of("a.output", "x"), "parameters.a.output"),
        Arguments.of("newline in name", Map.of("a\nb", "x"), "parameters"),
        Arguments.of(
            "untyped macro beyond a long",
            Map.of("note", "${date+99999999999999999999d}"),
            "parameters.note"),
        Arguments.of(
            "untyped macro beyond the years",
            Map.of("note", "${date+999999999y}"),
            "parameters.note"),
        Arguments.of("untyped unknown macro", Map.of("note", "${yesterday}"), "parameters.note"),
        Arguments.of("bad time zone", Map.of("timezone", "Mars/Olympus"), "parameters.timezone"),
        Arguments.of("date with whitespace", Map.of("day", "2026-03-15\n\t"), "parameters.day"),
        Arguments.of(
            "parameters beyond the column",
            Map.of("note", "\u00e9".repeat(Bounds.MAX_PARAMETERS_BYTES / 2)),
            "parameters"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badTriggers")
  void triggerRefusesBadParametersAndCreatesNoRun(
      String what, Map<String, String> parameters, String field) throws Exception {
    long before = rows();
    assertThatThrownBy(
            () ->
                client.triggerAll(
                    List.of(
                        TriggerRequest.of("target"),
                        TriggerRequest.of("target").withParameters(parameters))))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo(field));
    assertThat(rows()).isEqualTo(before);
  }

  @Test
  void schedulesAndBackfillsRefuseReservedNamesLongCronsAndLargeParameters() throws Exception {
    long before = rows();
    assertThatThrownBy(
            () ->
                client.saveSchedule(
                    ScheduleSpec.builder("s", "target", "0 0 * * *")
                        .parameter("PATH", "/tmp/evil")
                        .build()))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("parameters.PATH"))
        .hasMessageContaining("'PATH' is reserved");
    assertThatThrownBy(
            () ->
                client.saveSchedule(
                    ScheduleSpec.builder("s", "target", "0 " + "1,".repeat(150) + "2 * * *")
                        .build()))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("cron"));
    assertThatThrownBy(
            () ->
                client.saveSchedule(
                    ScheduleSpec.builder("s", "target", "0 0 * * *")
                        .parameter("note", "x".repeat(Bounds.MAX_PARAMETERS_BYTES))
                        .build()))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("parameters"));
    assertThatThrownBy(
            () ->
                client.backfill(
                    BackfillRequest.builder("target")
                        .daily(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 1, 3), ZoneOffset.UTC)
                        .parameter("PYTHONWARNINGS", "ignore::antigravity.x")
                        .build()))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> assertThat(e.field()).isEqualTo("parameters.PYTHONWARNINGS"));
    assertThat(client.schedule("s")).isEmpty();
    assertThat(rows()).isEqualTo(before);
  }

  @Test
  void aChildRunWithAReservedNameIsRefusedAndNotCreated() throws Exception {
    client.deploy(Workflow.builder("starter").task("s", ChildStarter.ID).build());
    long runId = client.trigger(TriggerRequest.of("starter"));

    assertThat(client.awaitRun(runId, Duration.ofSeconds(60)).state()).isEqualTo(RunState.FAILED);
    TaskAttempt a = client.attempts(runId).get(0);
    assertThat(a.message().orElseThrow())
        .contains("the child run of 'target' is refused")
        .contains("'BASH_ENV' is reserved");
    assertThat(client.runs("target", 100)).isEmpty();
  }

  @Test
  void globalParametersObeyTheSameRule() {
    assertThatThrownBy(
            () ->
                TestPlatforms.builder(platforms.dataSource(), "bad-global")
                    .parameter("LD_PRELOAD", "/tmp/evil.so")
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("global parameter: parameter name 'LD_PRELOAD' is reserved");
  }

  /** Every row a refused request could have written. */
  private static long rows() throws Exception {
    try (Connection c = platforms.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT (SELECT COUNT(*) FROM t_job_flow) + (SELECT COUNT(*) FROM t_job)"
                    + " + (SELECT COUNT(*) FROM t_job_flow_run) + (SELECT COUNT(*) FROM t_job_run)"
                    + " + (SELECT COUNT(*) FROM t_schedule) + (SELECT COUNT(*) FROM t_backfill)")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** A task that starts a child run of 'target' with a parameter a shell would interpret. */
  static final class ChildStarter implements TaskPlugin, TaskType {
    static final String ID = "child_starter";

    @Override
    public List<TaskType> taskTypes() {
      return List.of(this);
    }

    @Override
    public String id() {
      return ID;
    }

    @Override
    public String description() {
      return "starts a child run";
    }

    @Override
    public List<TaskOption> options() {
      return List.of();
    }

    @Override
    public TaskOutcome execute(TaskContext context) {
      try {
        context
            .platform()
            .startChild("target", Optional.empty(), Map.of("BASH_ENV", "$(touch /tmp/marker)"));
        return TaskOutcome.success(Map.of());
      } catch (IllegalArgumentException e) {
        return TaskOutcome.fatal(e.getMessage());
      }
    }
  }
}
