package io.flinkplatform.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.testing.PreparedSql;
import io.flinkplatform.engine.testing.TestPlatforms;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * One task fanning out to 10,000 tasks that join again: the platform writes it in bounded
 * statements (no statement names every task of the fan-out) and the run completes.
 */
class FanOutTest {
  private static final int WIDTH = 10_000;

  /** The most placeholders any statement the platform prepared had, and that statement's start. */
  private final AtomicInteger largest = new AtomicInteger();

  private final AtomicReference<String> largestSql = new AtomicReference<>("");

  @Test
  void oneToTenThousandToOneCompletesInBoundedStatements() {
    try (TestPlatforms platforms = new TestPlatforms()) {
      Platform p =
          TestPlatforms.builder(counting(platforms.dataSource()), "fan-out")
              .workerThreads(16)
              .build()
              .start();
      try {
        Workflow.Builder b = Workflow.builder("fan_out").task("root", "noop");
        String[] middle = new String[WIDTH];
        for (int i = 0; i < WIDTH; i++) {
          middle[i] = "t" + i;
          b.task(middle[i], "noop", t -> t.after("root"));
        }
        b.task("sink", "noop", t -> t.after(middle));
        PlatformClient c = p.client();
        c.deploy(b.build());
        long run = c.trigger("fan_out");

        assertThat(c.awaitRun(run, Duration.ofMinutes(10)).state()).isEqualTo(RunState.SUCCESS);
        List<TaskAttempt> attempts = c.attempts(run);
        assertThat(attempts).hasSize(WIDTH + 2).allMatch(a -> a.state() == TaskState.SUCCESS);
        // inserts take 1,000 rows (12 placeholders each) a statement; one statement over every
        // task the root released (a CASE per column) would take about 7 placeholders a task
        assertThat(largest.get())
            .as("placeholders of the largest statement: %s", largestSql.get())
            .isLessThan(2 * WIDTH);
      } finally {
        p.stop();
      }
    }
  }

  /** The data source, recording the largest number of placeholders in a prepared statement. */
  private DataSource counting(DataSource real) {
    return PreparedSql.observed(
        real,
        sql -> {
          int n = (int) sql.chars().filter(ch -> ch == '?').count();
          if (n > largest.getAndAccumulate(n, Math::max)) {
            largestSql.set(sql.substring(0, Math.min(120, sql.length())));
          }
        });
  }
}
