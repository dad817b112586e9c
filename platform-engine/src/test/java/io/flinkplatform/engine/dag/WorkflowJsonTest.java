package io.flinkplatform.engine.dag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.WorkflowValidationException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkflowJsonTest {

  static Workflow sample() {
    return Workflow.builder("daily_etl")
        .description("loads sales")
        .parameter("env", "prod")
        .task(
            "extract",
            "shell",
            t ->
                t.option("command", "echo hi")
                    .option("env", Map.of("A", "1"))
                    .option("successExitCodes", List.of("0", "3"))
                    .retry(
                        RetryPolicy.exponential(3, Duration.ofSeconds(1), Duration.ofSeconds(30)))
                    .timeout(Duration.ofMinutes(5))
                    .priority(7))
        .task("load", "shell", t -> t.option("command", "true").after("extract"))
        .task(
            "alert",
            "shell",
            t ->
                t.option("command", "true")
                    .after("extract", EdgeCondition.FAILURE)
                    .triggerRule(TriggerRule.ANY_MATCHED))
        .edge("load", "alert", EdgeCondition.ALWAYS)
        .build();
  }

  @Test
  void roundTripsThroughJson() {
    Workflow w = sample();
    String json = WorkflowJson.write(w);
    assertThat(WorkflowJson.read(json)).isEqualTo(w);
    assertThat(WorkflowJson.write(WorkflowJson.read(json))).isEqualTo(json);
  }

  @Test
  void readsTheDocumentedDefaults() {
    Workflow w =
        WorkflowJson.read(
            """
        {"name": "w", "tasks": [{"id": "a", "type": "noop"}, {"id": "b", "type": "noop"}],
         "edges": [{"from": "a", "to": "b"}]}""");
    TaskDefinition b = w.task("b").orElseThrow();
    assertThat(b.triggerRule()).isEqualTo(TriggerRule.ALL_MATCHED);
    assertThat(b.retry()).isEqualTo(RetryPolicy.NONE);
    assertThat(b.timeout()).isEmpty();
    assertThat(w.edges()).containsExactly(new Edge("a", "b", EdgeCondition.SUCCESS));
  }

  @Test
  void reportsEveryProblemOfTheDocumentAtOnce() {
    assertThatThrownBy(
            () ->
                WorkflowJson.read(
                    """
        {"tasks": [{"id": "a", "type": "noop", "triggerRule": "SOMETIMES", "timeout": "soon"},
                   {"type": "noop"}],
         "edges": [{"from": "a", "to": "b", "on": "MAYBE"}]}"""))
        .isInstanceOf(WorkflowValidationException.class)
        .satisfies(e -> assertThat(((WorkflowValidationException) e).problems()).hasSize(5))
        .hasMessageContaining("field 'name' is required")
        .hasMessageContaining(
            "triggerRule 'SOMETIMES' is not one of [ALL_MATCHED, ANY_MATCHED, ALL_DONE, ANY_DONE]")
        .hasMessageContaining("'soon' is not a duration")
        .hasMessageContaining("tasks[1]: field 'id' is required")
        .hasMessageContaining("on 'MAYBE' is not one of [SUCCESS, FAILURE, ALWAYS, RUNNING]");
  }

  @Test
  void rejectsMalformedJson() {
    assertThatThrownBy(() -> WorkflowJson.read("{not json"))
        .isInstanceOf(WorkflowValidationException.class)
        .hasMessageContaining("not valid JSON");
  }

  @Test
  void exponentialBackoffDoublesUpToTheCap() {
    RetryPolicy p = RetryPolicy.exponential(5, Duration.ofSeconds(1), Duration.ofSeconds(5));
    assertThat(p.delayBefore(2)).isEqualTo(Duration.ofSeconds(1));
    assertThat(p.delayBefore(3)).isEqualTo(Duration.ofSeconds(2));
    assertThat(p.delayBefore(4)).isEqualTo(Duration.ofSeconds(4));
    assertThat(p.delayBefore(5)).isEqualTo(Duration.ofSeconds(5));
    assertThat(RetryPolicy.fixed(2, Duration.ofSeconds(3)).delayBefore(3))
        .isEqualTo(Duration.ofSeconds(3));
  }
}
