package io.flinkplatform.examples.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.examples.bench.peers.PeerResults.Workload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs flink-platform's side of the peer comparison at tiny sizes (the peers themselves exist only
 * in the {@code peers} profile) and checks that every task ran once and every run succeeded; never
 * how fast.
 */
class PlatformWorkloadsSmokeTest {

  @Test
  void drainsAndDagsRunEveryTaskExactlyOnce() throws Exception {
    PeerOptions options = PeerOptions.parse("--quick", "--dag-tasks=100", "--dag-runs=3");
    PeerResults results = new PeerResults();
    List<Sample> samples = new ArrayList<>();
    try (PeerDatabase db = PeerDatabase.start("--innodb-flush-log-at-trx-commit=2")) {
      PlatformWorkloads platform = new PlatformWorkloads(db, Duration.ofMinutes(3), System.out);
      samples.add(platform.drain("drain, 4 workers × 2 instances", 200, 4, 2));
      for (PlatformWorkloads.Dag dag : options.dags()) {
        samples.add(platform.dag(dag.label(), dag, 8));
      }
    }
    results.add(Workload.W1, samples.get(0));
    samples.subList(1, samples.size()).forEach(s -> results.add(Workload.W2, s));

    assertThat(samples).extracting(Sample::units).containsExactly(200L, 100L, 100L, 150L);
    assertThat(samples)
        .allSatisfy(
            s -> {
              assertThat(s.duplicates()).as(s.row()).isZero();
              assertThat(s.unfinished()).as(s.row()).isZero();
              assertThat(s.seconds()).as(s.row()).isPositive();
              assertThat(s.counters().rwCommits()).as(s.row()).isPositive();
            });
    assertThat(results.problems()).isZero();
    assertThat(results.markdown())
        .contains("| drain, 4 workers × 2 instances | 200 |")
        .contains("one 100-task wide fan-out (1 → 98 → 1)")
        .contains("3 runs of a 50-task DAG");
  }

  @Test
  void quickModeIsOneRepetitionAndOptionsOverrideIt() {
    PeerOptions quick = PeerOptions.parse("--quick", "--runs=1_000");
    assertThat(quick.reps()).isEqualTo(1);
    assertThat(quick.runs()).isEqualTo(1_000);
    assertThat(quick.rows()).isEmpty();
    assertThat(PeerOptions.parse("--rows=flink-platform").rows()).isEqualTo("flink-platform");
    assertThat(PeerOptions.parse().reps()).isEqualTo(3);
    assertThat(PeerOptions.parse().runs()).isEqualTo(20_000);
    assertThat(PeerOptions.parse().dags())
        .extracting(PlatformWorkloads.Dag::totalTasks)
        .containsExactly(10_000L, 10_000L, 10_000L);
    assertThatThrownBy(() -> PeerOptions.parse("--workers=4"))
        .hasMessageContaining("unknown option --workers")
        .hasMessageContaining("--dag-runs");
  }
}
