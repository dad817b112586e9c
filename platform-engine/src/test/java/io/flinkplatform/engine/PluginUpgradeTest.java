package io.flinkplatform.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.dag.RetryPolicy;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.testing.Sql;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.spi.OptionType;
import io.flinkplatform.spi.TaskContext;
import io.flinkplatform.spi.TaskOption;
import io.flinkplatform.spi.TaskOutcome;
import io.flinkplatform.spi.TaskPlugin;
import io.flinkplatform.spi.TaskType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Workflow versions that can no longer be read: deployed before a plugin changed an option's type,
 * or damaged in the database.
 */
class PluginUpgradeTest {

  /** Executions of the upgraded type: a task whose options do not fit must never run. */
  private static final AtomicInteger EXECUTED = new AtomicInteger();

  /** The type {@code changing} whose option {@code level} has the given type. */
  private record Changing(OptionType levelType) implements TaskPlugin {
    @Override
    public String name() {
      return "changing-" + levelType;
    }

    @Override
    public List<TaskType> taskTypes() {
      return List.of(
          new TaskType() {
            @Override
            public String id() {
              return "changing";
            }

            @Override
            public List<TaskOption> options() {
              return List.of(TaskOption.required("level", levelType, "a level"));
            }

            @Override
            public TaskOutcome execute(TaskContext c) {
              EXECUTED.incrementAndGet();
              return TaskOutcome.success();
            }
          });
    }
  }

  @Test
  void optionThatNoLongerConvertsFailsTheAttemptOnceAndOtherRunsComplete() throws Exception {
    try (TestPlatforms platforms = new TestPlatforms()) {
      // deployed while 'level' was an INT; this instance runs nothing
      PlatformClient old =
          platforms
              .start("old", b -> b.workerThreads(0).plugin(new Changing(OptionType.INT)))
              .client();
      old.deploy(
          Workflow.builder("upgraded")
              .task(
                  "t",
                  "changing",
                  t -> t.option("level", 3).retry(RetryPolicy.fixed(3, Duration.ZERO)))
              .build());
      old.deploy(
          Workflow.builder("bystander")
              .task("a", "noop")
              .task("b", "noop", t -> t.after("a"))
              .build());
      long upgraded = old.trigger("upgraded");
      long bystander = old.trigger("bystander");

      // the upgraded plugin declares 'level' as a BOOLEAN: 3 no longer converts
      platforms.start("new", b -> b.plugin(new Changing(OptionType.BOOLEAN)));

      assertThat(old.awaitRun(bystander, Duration.ofSeconds(30)).state())
          .isEqualTo(RunState.SUCCESS);
      assertThat(old.awaitRun(upgraded, Duration.ofSeconds(30)).state()).isEqualTo(RunState.FAILED);
      List<TaskAttempt> attempts = old.attempts(upgraded);
      assertThat(attempts).as("not retried although retries are allowed").hasSize(1);
      TaskAttempt t = attempts.get(0);
      assertThat(t.state()).isEqualTo(TaskState.FAILED);
      assertThat(t.epoch()).as("claimed once, never re-run after a lease").isEqualTo(1);
      assertThat(t.message().orElseThrow())
          .contains("workflow 'upgraded' version 1")
          .contains("task 't'")
          .contains("option 'level' (Integer) does not convert to BOOLEAN")
          .contains("task type 'changing'")
          .doesNotContain("'3'");
      assertThat(EXECUTED.get()).as("the task never ran with options it cannot read").isZero();
      assertThat(
              Sql.single(
                  platforms.dataSource(),
                  "SELECT COUNT(*) FROM t_job_run WHERE flow_run_id = " + upgraded))
          .isEqualTo(1);
    }
  }

  @Test
  void versionThatCannotBeReadFailsItsRunOnceAndOtherRunsComplete() throws Exception {
    try (TestPlatforms platforms = new TestPlatforms()) {
      PlatformClient reader = platforms.start("reader", b -> b.workerThreads(0)).client();
      reader.deploy(
          Workflow.builder("damaged")
              .task("a", "noop", t -> t.retry(RetryPolicy.fixed(3, Duration.ZERO)))
              .task("b", "noop", t -> t.after("a"))
              .build());
      reader.deploy(
          Workflow.builder("bystander")
              .task("a", "noop")
              .task("b", "noop", t -> t.after("a"))
              .build());
      long damaged = reader.trigger("damaged");
      long bystander = reader.trigger("bystander");
      // a stored definition cut short (as a non-strict database truncates a too long value)
      Sql.update(
          platforms.dataSource(),
          "UPDATE t_job_flow SET definition = LEFT(definition, 20) WHERE name = 'damaged'");

      PlatformClient worker = platforms.start("worker").client();

      assertThat(worker.awaitRun(bystander, Duration.ofSeconds(30)).state())
          .isEqualTo(RunState.SUCCESS);
      assertThat(worker.awaitRun(damaged, Duration.ofSeconds(30)).state())
          .isEqualTo(RunState.FAILED);
      Map<String, TaskAttempt> attempts =
          reader.attempts(damaged).stream()
              .collect(Collectors.toMap(TaskAttempt::taskId, Function.identity()));
      assertThat(attempts).as("one attempt each: no retry, no re-run").hasSize(2);
      TaskAttempt a = attempts.get("a");
      assertThat(a.state()).isEqualTo(TaskState.FAILED);
      assertThat(a.epoch()).as("claimed once").isEqualTo(1);
      assertThat(a.message().orElseThrow())
          .contains("workflow 'damaged' version 1 cannot be read")
          .contains("not valid JSON");
      TaskAttempt b = attempts.get("b");
      assertThat(b.state()).isEqualTo(TaskState.FAILED);
      assertThat(b.epoch()).as("never claimed").isZero();
      assertThat(b.message().orElseThrow())
          .startsWith("not started: workflow 'damaged' version 1 cannot be read");
      assertThat(
              Sql.single(
                  platforms.dataSource(),
                  "SELECT COUNT(*) FROM t_job_run WHERE flow_run_id = " + damaged))
          .isEqualTo(2);
    }
  }
}
