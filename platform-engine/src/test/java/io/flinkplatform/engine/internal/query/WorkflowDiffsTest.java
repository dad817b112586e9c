package io.flinkplatform.engine.internal.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.dag.Edge;
import io.flinkplatform.engine.dag.EdgeCondition;
import io.flinkplatform.engine.dag.RetryPolicy;
import io.flinkplatform.engine.dag.TriggerRule;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.VersionDiff;
import io.flinkplatform.engine.run.VersionDiff.TaskChange;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The difference between two definitions, a pure function: no database. */
class WorkflowDiffsTest {
  private static Workflow.Builder base() {
    return Workflow.builder("etl")
        .task("extract", "shell", t -> t.option("command", "extract.sh").option("env", "prod"))
        .task("load", "sql", t -> t.option("sql", "INSERT 1").after("extract"))
        .task("notify", "noop", t -> t.after("load", EdgeCondition.FAILURE));
  }

  @Test
  void aDefinitionComparedWithItselfHasNoDifference() {
    VersionDiff d = WorkflowDiffs.diff("etl", 1, base().build(), 2, base().build());
    assertThat(d.isEmpty()).isTrue();
    assertThat(d.workflow()).isEqualTo("etl");
    assertThat(d.from()).isEqualTo(1);
    assertThat(d.to()).isEqualTo(2);
  }

  @Test
  void tasksAddedAndRemovedAreNamedInTheirVersionsOrder() {
    Workflow a = base().task("archive", "noop", t -> t.after("load")).build();
    Workflow b =
        Workflow.builder("etl")
            .task("extract", "shell", t -> t.option("command", "extract.sh").option("env", "prod"))
            .task("load", "sql", t -> t.option("sql", "INSERT 1").after("extract"))
            .task("audit", "noop", t -> t.after("load"))
            .task("report", "noop", t -> t.after("audit"))
            .build();
    VersionDiff d = WorkflowDiffs.diff("etl", 1, a, 2, b);
    assertThat(d.tasksAdded()).containsExactly("audit", "report");
    assertThat(d.tasksRemoved()).containsExactly("notify", "archive");
    assertThat(d.tasksChanged()).isEmpty();
    assertThat(d.edgesAdded())
        .containsExactly(
            new Edge("load", "audit", EdgeCondition.SUCCESS),
            new Edge("audit", "report", EdgeCondition.SUCCESS));
    assertThat(d.edgesRemoved())
        .containsExactly(
            new Edge("load", "notify", EdgeCondition.FAILURE),
            new Edge("load", "archive", EdgeCondition.SUCCESS));
  }

  @Test
  void aChangedTaskNamesTheOptionKeysAddedRemovedOrChangedAndItsOtherFields() {
    Workflow b =
        Workflow.builder("etl")
            .task(
                "extract",
                "shell",
                t ->
                    t.option("command", "extract.sh --full") // changed
                        .option("retries", 3) // added; "env" removed
                        .retry(RetryPolicy.fixed(2, Duration.ofSeconds(5)))
                        .timeout(Duration.ofMinutes(10))
                        .priority(5)
                        .label("gpu"))
            .task("load", "sql", t -> t.option("sql", "INSERT 1").after("extract"))
            .task(
                "notify",
                "shell",
                t -> t.after("load", EdgeCondition.FAILURE).triggerRule(TriggerRule.ANY_DONE))
            .build();
    VersionDiff d = WorkflowDiffs.diff("etl", 3, base().build(), 4, b);
    assertThat(d.tasksAdded()).isEmpty();
    assertThat(d.tasksRemoved()).isEmpty();
    assertThat(d.tasksChanged())
        .containsExactly(
            new TaskChange(
                "extract",
                List.of("command", "env", "retries"),
                List.of("retry", "timeout", "priority", "label")),
            new TaskChange("notify", List.of(), List.of("type", "triggerRule")));
    assertThat(d.edgesAdded()).isEmpty();
    assertThat(d.edgesRemoved()).isEmpty();
    assertThat(d.workflowFields()).isEmpty();
  }

  @Test
  void anEdgeWhoseConditionChangedIsRemovedAndAdded() {
    Workflow b =
        Workflow.builder("etl")
            .task("extract", "shell", t -> t.option("command", "extract.sh").option("env", "prod"))
            .task("load", "sql", t -> t.option("sql", "INSERT 1").after("extract"))
            .task("notify", "noop", t -> t.after("load", EdgeCondition.ALWAYS))
            .build();
    VersionDiff d = WorkflowDiffs.diff("etl", 1, base().build(), 2, b);
    assertThat(d.edgesRemoved()).containsExactly(new Edge("load", "notify", EdgeCondition.FAILURE));
    assertThat(d.edgesAdded()).containsExactly(new Edge("load", "notify", EdgeCondition.ALWAYS));
    assertThat(d.tasksChanged()).as("edges are not the tasks' fields").isEmpty();
  }

  @Test
  void workflowLevelFieldsAreNamed() {
    Workflow b =
        base()
            .description("nightly")
            .parameter("day", "today")
            .priority(10)
            .maxActiveRuns(2)
            .maxParallelTasks(4)
            .build();
    VersionDiff d = WorkflowDiffs.diff("etl", 1, base().build(), 2, b);
    assertThat(d.workflowFields())
        .containsExactly(
            "description", "parameters", "priority", "maxActiveRuns", "maxParallelTasks");
    assertThat(d.isEmpty()).isFalse();
  }
}
