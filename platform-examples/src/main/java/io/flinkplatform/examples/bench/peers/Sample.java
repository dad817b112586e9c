package io.flinkplatform.examples.bench.peers;

import io.flinkplatform.examples.bench.DbCounters;

/**
 * One measured pass of one variant.
 *
 * @param row the table row it belongs to, e.g. {@code "flink-platform, 16 workers, 1 instance"}
 * @param units executions (W1) or tasks (W2) it was measured over
 * @param seconds first start of a unit to the last completion
 * @param counters server-wide counter growth over the pass
 * @param duplicates executions beyond the first of their unit, counted in the task bodies
 * @param unfinished units that did not succeed (failed runs, or executions missing)
 * @param idle idle-claim samples of the pass; {@link IdleClaims#NONE} where not measured
 */
public record Sample(
    String row,
    long units,
    double seconds,
    DbCounters counters,
    long duplicates,
    long unfinished,
    IdleClaims idle) {

  public double perSecond() {
    return units / seconds;
  }

  public double writeTransactionsPerUnit() {
    return counters.rwCommits() < 0 ? Double.NaN : (double) counters.rwCommits() / units;
  }

  public double comCommitPerUnit() {
    return (double) counters.comCommit() / units;
  }
}
