package io.flinkplatform.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.dag.Workflow;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the benchmark harness at small sizes; checks that everything ran, never how fast. */
class BenchmarkSmokeTest {

  @Test
  void smallRunOfBothScenariosSucceeds() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    List<ScenarioResult> results;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      results =
          Benchmark.run(
              BenchmarkOptions.parse(
                  "--runs=200", "--dag-tasks=1000", "--flush-log-at-trx-commit=2"),
              out);
    }
    String output = bytes.toString(StandardCharsets.UTF_8);
    System.out.println(output);

    assertThat(results).hasSize(2);
    assertThat(results).allSatisfy(r -> assertThat(r.allSucceeded()).as(r.name()).isTrue());
    assertThat(results.get(0).tasks()).isEqualTo(200);
    assertThat(results.get(0).runs()).isEqualTo(200);
    assertThat(results.get(1).tasks()).isEqualTo(1000);
    assertThat(results).allSatisfy(r -> assertThat(r.commits().comCommit()).isPositive());
    assertThat(output).contains("tasks/s", "Com_commit/task");
  }

  @Test
  void dagHasRootChainsAndSink() {
    Workflow w = BenchWorkflows.chains("d", 10_000, 100);
    assertThat(w.tasks()).hasSize(10_000);
    assertThat(w.edges()).filteredOn(e -> e.from().equals("root")).hasSize(100);
    assertThat(w.edges()).filteredOn(e -> e.to().equals("sink")).hasSize(100);
    // root to each chain, links inside the 100 chains of 9,998 tasks, each chain to sink
    assertThat(w.edges()).hasSize(100 + (9_998 - 100) + 100);
  }

  @Test
  void parsesArguments() {
    BenchmarkOptions o = BenchmarkOptions.parse("--runs=1_000", "--workers=4");
    assertThat(o.runs()).isEqualTo(1000);
    assertThat(o.workerThreads()).isEqualTo(4);
    assertThat(o.dagTasks()).isEqualTo(10_000);
  }
}
