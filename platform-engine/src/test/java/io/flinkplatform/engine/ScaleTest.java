package io.flinkplatform.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.testing.TestPlatforms;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Large DAGs and many concurrent runs complete correctly, on two instances sharing the database.
 */
class ScaleTest {

  @Test
  void thousandTaskDagCompletes() {
    try (TestPlatforms platforms = new TestPlatforms()) {
      PlatformClient c = platforms.start("one").client();
      platforms.start("two");
      // a root, 20 chains of 49 tasks, a sink after every chain: 1 + 980 + 1 = 982, plus 18 leaves
      Workflow.Builder b = Workflow.builder("big").task("root", "noop");
      List<String> chainEnds = new ArrayList<>();
      for (int chain = 0; chain < 20; chain++) {
        String prev = "root";
        for (int i = 0; i < 49; i++) {
          String id = "c" + chain + "_" + i;
          String up = prev;
          b.task(id, "noop", t -> t.after(up));
          prev = id;
        }
        chainEnds.add(prev);
      }
      b.task("sink", "noop", t -> t.after(chainEnds.toArray(String[]::new)));
      for (int i = 0; i < 18; i++) {
        b.task("leaf" + i, "noop", t -> t.after("sink"));
      }
      Workflow w = b.build();
      assertThat(w.tasks()).hasSize(1000);
      c.deploy(w);
      long run = c.trigger("big");
      assertThat(c.awaitRun(run, Duration.ofMinutes(3)).state()).isEqualTo(RunState.SUCCESS);
      List<TaskAttempt> attempts = c.attempts(run);
      assertThat(attempts).hasSize(1000).allMatch(a -> a.state() == TaskState.SUCCESS);
      Map<String, TaskAttempt> byTask =
          attempts.stream().collect(Collectors.toMap(TaskAttempt::taskId, a -> a));
      for (int chain = 0; chain < 20; chain++) {
        for (int i = 1; i < 49; i++) {
          assertThat(byTask.get("c" + chain + "_" + i).startedAt().orElseThrow())
              .isAfterOrEqualTo(byTask.get("c" + chain + "_" + (i - 1)).endedAt().orElseThrow());
        }
      }
    }
  }

  @Test
  void twoHundredConcurrentRunsCompleteExactlyOnce() {
    try (TestPlatforms platforms = new TestPlatforms()) {
      PlatformClient c = platforms.start("one").client();
      platforms.start("two");
      c.deploy(
          Workflow.builder("small")
              .task("a", "noop")
              .task("b", "emit", t -> t.after("a"))
              .task("c", "noop", t -> t.after("a"))
              .task(
                  "d",
                  "fail",
                  t ->
                      t.option("failTimes", 1)
                          .retry(io.flinkplatform.engine.dag.RetryPolicy.fixed(1, Duration.ZERO))
                          .after("b", "c"))
              .build());
      List<Long> runs = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        runs.add(c.trigger("small"));
      }
      for (long run : runs) {
        assertThat(c.awaitRun(run, Duration.ofMinutes(2)).state()).isEqualTo(RunState.SUCCESS);
        List<TaskAttempt> attempts = c.attempts(run);
        assertThat(attempts).hasSize(5);
        assertThat(
                attempts.stream()
                    .filter(a -> a.state() == TaskState.SUCCESS)
                    .collect(Collectors.groupingBy(TaskAttempt::taskId, Collectors.counting())))
            .containsOnly(
                Map.entry("a", 1L), Map.entry("b", 1L), Map.entry("c", 1L), Map.entry("d", 1L));
        assertThat(attempts).allMatch(a -> a.epoch() == 1, "claimed exactly once");
      }
    }
  }
}
