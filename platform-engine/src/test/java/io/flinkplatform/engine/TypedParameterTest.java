package io.flinkplatform.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.dag.ParamType;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TriggerRequest;
import io.flinkplatform.engine.schedule.BackfillRequest;
import io.flinkplatform.engine.schedule.ScheduleSpec;
import io.flinkplatform.engine.testing.TestPlatforms;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Typed workflow parameters, checked at deploy, trigger, schedule and backfill time. */
class TypedParameterTest {
  private static TestPlatforms platforms;
  private static PlatformClient client;

  @BeforeAll
  static void start() {
    platforms = new TestPlatforms();
    client = platforms.start("typed").client();
    client.deploy(typed("typed_ok", "10"));
  }

  @AfterAll
  static void stop() {
    platforms.close();
  }

  private static Workflow typed(String name, String limit) {
    return Workflow.builder(name)
        .parameter("limit", ParamType.INTEGER, limit)
        .parameter("day", ParamType.DATE, "${date-1d}")
        .parameterType("opts", ParamType.JSON)
        .parameter("note", "free text")
        .task("a", "emit")
        .build();
  }

  private static int runCount(String workflow) {
    return client.runs(workflow, 1000).size();
  }

  @Test
  void badDefaultsAreDeployProblemsNamingParameterValueAndType() {
    Workflow w =
        Workflow.builder("typed_bad")
            .parameter("limit", ParamType.INTEGER, "ten")
            .parameter("on", ParamType.BOOLEAN, "yes")
            .task("a", "emit", t -> t.parameter("limit", "1.5"))
            .build();
    assertThatThrownBy(() -> client.deploy(w))
        .isInstanceOfSatisfying(
            WorkflowValidationException.class,
            e ->
                assertThat(e.problems())
                    .contains(
                        "workflow parameter parameters.limit: parameter 'limit' is declared INTEGER"
                            + " but the value 'ten' is not a 32-bit integer, e.g. 42",
                        "workflow parameter parameters.on: parameter 'on' is declared BOOLEAN but"
                            + " the value 'yes' is not true or false",
                        "task 'a' parameter parameters.limit: parameter 'limit' is declared INTEGER"
                            + " but the value '1.5' is not a 32-bit integer, e.g. 42"));
    assertThat(client.workflow("typed_bad")).isEmpty();
  }

  @Test
  void typedValuesReachTasksAsStrings() {
    long id =
        client.trigger(
            TriggerRequest.of("typed_ok")
                .withParameters(Map.of("limit", "25", "opts", "{\"deep\": true}", "note", "x"))
                .withLogicalDate(Instant.parse("2026-03-15T00:00:00Z")));
    assertThat(client.awaitRun(id, Duration.ofSeconds(30)).state()).isEqualTo(RunState.SUCCESS);
    TaskAttempt a = client.attempts(id).get(0);
    assertThat(a.outputs())
        .containsEntry("param.limit", "25")
        .containsEntry("param.day", "2026-03-14")
        .containsEntry("param.opts", "{\"deep\": true}")
        .containsEntry("param.note", "x");
  }

  @Test
  void aBadOverrideAtTriggerIsRefusedAndNothingIsWritten() {
    int before = runCount("typed_ok");
    assertThatThrownBy(
            () ->
                client.triggerAll(
                    java.util.List.of(
                        TriggerRequest.of("typed_ok"),
                        TriggerRequest.of("typed_ok").withParameters(Map.of("opts", "{not json")))))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("parameters.opts"))
        .hasMessageContaining("'{not json' is not a JSON document");
    assertThat(runCount("typed_ok")).isEqualTo(before);
  }

  @Test
  void aMacroIsCheckedAsRenderedForTheLogicalDate() {
    assertThatThrownBy(
            () ->
                client.trigger(
                    TriggerRequest.of("typed_ok")
                        .withParameters(Map.of("day", "${date:yyyyMMdd}"))))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("parameters.day"))
        .hasMessageContaining("is declared DATE but the value '");
  }

  @Test
  void schedulesAndBackfillsCheckTheirParameters() {
    int before = runCount("typed_ok");
    assertThatThrownBy(
            () ->
                client.saveSchedule(
                    ScheduleSpec.builder("typed-s", "typed_ok", "0 0 * * *")
                        .parameter("limit", "many")
                        .build()))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("parameters.limit"))
        .hasMessageContaining("'many'")
        .hasMessageContaining("INTEGER");
    assertThat(client.schedule("typed-s")).isEmpty();
    assertThatThrownBy(
            () ->
                client.backfill(
                    BackfillRequest.builder("typed_ok")
                        .daily(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 1, 3), ZoneOffset.UTC)
                        .parameter("day", "yesterday")
                        .build()))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("parameters.day"));
    assertThat(runCount("typed_ok")).isEqualTo(before); // no backfill run was created
    // good values are accepted
    assertThat(
            client
                .saveSchedule(
                    ScheduleSpec.builder("typed-s", "typed_ok", "0 0 * * *")
                        .parameter("limit", "7")
                        .parameter("day", "${date}")
                        .build())
                .spec()
                .parameters())
        .containsEntry("limit", "7");
  }
}
