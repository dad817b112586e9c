package io.flinkplatform.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.testing.TestPlatforms;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Deploy-time validation reports every problem at once and writes nothing. */
class ValidationTest {
  private static TestPlatforms platforms;
  private static PlatformClient client;

  @BeforeAll
  static void start() {
    platforms = new TestPlatforms();
    client = platforms.start("validation").client();
  }

  @AfterAll
  static void stop() {
    platforms.close();
  }

  @Test
  void reportsEveryProblemTogetherAndWritesNothing() throws Exception {
    Workflow bad =
        Workflow.builder("bad")
            .task("a", "noop", t -> t.after("c"))
            .task("b", "noop", t -> t.after("a"))
            .task("c", "noop", t -> t.after("b"))
            .task("a", "noop")
            .task("x", "nosuchtype")
            .task("s", "sleep", t -> t.option("durration", "1s"))
            .task("f", "fail", t -> t.option("failTimes", "many"))
            .task("z", "noop", t -> t.after("ghost").timeout(Duration.ZERO))
            .build();
    assertThatThrownBy(() -> client.deploy(bad))
        .isInstanceOf(WorkflowValidationException.class)
        .hasMessageContaining("nothing was deployed")
        .hasMessageContaining("duplicate task id 'a'")
        .hasMessageContaining("cycle: a -> b -> c -> a")
        .hasMessageContaining(
            "unknown task type 'nosuchtype'; known types are "
                + "[choose, emit, fail, gate, interval, noop, process, progress, skip, sleep, stream, verdict]")
        .hasMessageContaining(
            "unknown option 'durration' for type 'sleep'; supported options are [duration]")
        .hasMessageContaining("missing required option 'duration'")
        .hasMessageContaining("option 'failTimes' expected an integer but got String 'many'")
        .hasMessageContaining("refers to unknown task 'ghost'")
        .hasMessageContaining("task 'z': timeout must be positive");
    assertThat(client.workflow("bad")).isEmpty();
    try (Connection c = platforms.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT (SELECT COUNT(*) FROM t_job_flow WHERE name = 'bad')"
                    + " + (SELECT COUNT(*) FROM t_job j JOIN t_job_flow f ON f.id = j.flow_id WHERE f.name = 'bad')")) {
      rs.next();
      assertThat(rs.getInt(1)).isZero();
    }
  }

  @Test
  void validateReturnsProblemsWithoutThrowing() {
    assertThat(client.validate(Workflow.builder("empty").build()))
        .containsExactly("the workflow has no tasks");
    assertThat(client.validate(Workflow.builder("ok").task("a", "noop").build())).isEmpty();
    assertThat(client.validate(Workflow.builder("bad name!").task("a", "noop").build()))
        .singleElement()
        .asString()
        .contains("workflow name 'bad name!' must match");
  }

  @Test
  void deployCreatesNewVersionsAndRunsPinTheirVersion() {
    var v1 = client.deploy(Workflow.builder("versioned").task("a", "noop").build());
    var v2 =
        client.deploy(Workflow.builder("versioned").task("a", "noop").task("b", "noop").build());
    assertThat(v1.version()).isEqualTo(1);
    assertThat(v2.version()).isEqualTo(2);
    assertThat(client.workflow("versioned").orElseThrow().workflow().tasks()).hasSize(2);
    assertThat(client.workflow("versioned", 1).orElseThrow().workflow().tasks()).hasSize(1);
    long run =
        client.trigger(io.flinkplatform.engine.run.TriggerRequest.of("versioned").withVersion(1));
    client.awaitRun(run, Duration.ofSeconds(30));
    assertThat(client.attempts(run)).hasSize(1);
    assertThat(client.run(run).orElseThrow().workflowVersion()).isEqualTo(1);
  }

  @Test
  void anUnreachableDatabaseFailsTheStartClearlyWithoutTheSecret() {
    Platform p =
        Platform.builder()
            .jdbcUrl("jdbc:mysql://127.0.0.1:1/nowhere?connectTimeout=500", "etl", "s3cr3t-pw")
            .instanceName("lost")
            .build();
    assertThatThrownBy(p::start)
        .isInstanceOf(PlatformException.class)
        .hasMessageContaining("cannot connect to jdbc:mysql://127.0.0.1:1/nowhere")
        .hasMessageContaining("as user 'etl'")
        .satisfies(e -> assertThat(e.toString()).doesNotContain("s3cr3t-pw"));
    assertThat(p.settings().toString()).doesNotContain("s3cr3t-pw").contains("password ****");
    p.stop();
    assertThatThrownBy(p::client).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void badSettingsAreRejectedByTheBuilder() {
    assertThatThrownBy(() -> Platform.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("give exactly one of dataSource(...) or jdbcUrl(...)");
    assertThatThrownBy(() -> Platform.builder().workerThreads(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("workerThreads must be >= 0 but was -1");
    assertThatThrownBy(
            () ->
                Platform.builder()
                    .jdbcUrl("jdbc:mysql://x/y", "u", "p")
                    .heartbeatInterval(Duration.ofSeconds(3))
                    .build())
        .hasMessageContaining("leaseDuration (PT4S) must be at least twice the heartbeatInterval");
  }

  @Test
  void triggeringAnUnknownWorkflowSaysSo() {
    assertThatThrownBy(() -> client.trigger("nope"))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("workflow 'nope' is not deployed");
  }
}
