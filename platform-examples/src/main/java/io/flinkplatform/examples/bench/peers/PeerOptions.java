package io.flinkplatform.examples.bench.peers;

import java.time.Duration;
import java.util.List;

/**
 * The sizes of one comparison run. Defaults are the full run; {@code --quick} is one repetition at
 * smaller sizes; {@code --name=value} arguments override either.
 *
 * @param reps measured repetitions of every row (an unrecorded warm-up pass comes first)
 * @param runs W1 executions for db-scheduler and flink-platform
 * @param quartzRuns W1 executions for Quartz (its acquisition sorts the whole backlog)
 * @param dagTasks tasks of W2's one-run DAGs (100 chains, and the wide fan-out)
 * @param dagRuns runs of W2's 50-task DAG
 * @param rows only the rows whose name contains this text, or one of several separated by {@code
 *     |}; empty for all
 */
public record PeerOptions(
    boolean quick,
    int reps,
    int runs,
    int quartzRuns,
    int dagTasks,
    int dagRuns,
    Duration timeout,
    String rows) {

  public static final PeerOptions FULL =
      new PeerOptions(false, 3, 20_000, 10_000, 10_000, 200, Duration.ofMinutes(10), "");
  public static final PeerOptions QUICK =
      new PeerOptions(true, 1, 4_000, 2_000, 2_000, 40, Duration.ofMinutes(10), "");

  public static PeerOptions parse(String... args) {
    PeerOptions o = List.of(args).contains("--quick") ? QUICK : FULL;
    int reps = o.reps;
    int runs = o.runs;
    int quartzRuns = o.quartzRuns;
    int dagTasks = o.dagTasks;
    int dagRuns = o.dagRuns;
    Duration timeout = o.timeout;
    String rows = o.rows;
    for (String a : args) {
      if (a.equals("--quick")) {
        continue;
      }
      int eq = a.indexOf('=');
      if (!a.startsWith("--") || eq < 0) {
        throw new IllegalArgumentException("expected --quick or --name=value but got " + a);
      }
      String name = a.substring(2, eq);
      String value = a.substring(eq + 1);
      switch (name) {
        case "reps" -> reps = number(value);
        case "runs" -> runs = number(value);
        case "quartz-runs" -> quartzRuns = number(value);
        case "dag-tasks" -> dagTasks = number(value);
        case "dag-runs" -> dagRuns = number(value);
        case "timeout-seconds" -> timeout = Duration.ofSeconds(number(value));
        case "rows" -> rows = value;
        default ->
            throw new IllegalArgumentException(
                "unknown option --"
                    + name
                    + "; known: --quick, --reps, --runs, --quartz-runs, --dag-tasks, --dag-runs,"
                    + " --timeout-seconds, --rows");
      }
    }
    if (reps < 1 || runs < 1 || quartzRuns < 1 || dagTasks < 3 || dagRuns < 1) {
      throw new IllegalArgumentException(
          "sizes must be positive (dag-tasks >= 3): " + String.join(" ", args));
    }
    return new PeerOptions(o.quick, reps, runs, quartzRuns, dagTasks, dagRuns, timeout, rows);
  }

  private static int number(String value) {
    return Integer.parseInt(value.replace("_", "").replace(",", ""));
  }

  /**
   * Whether the row named {@code name} is to run: its name contains one of {@link #rows}' texts.
   */
  public boolean wants(String name) {
    for (String text : rows.split("\\|", -1)) {
      if (name.contains(text)) {
        return true;
      }
    }
    return false;
  }

  /** The unrecorded warm-up pass: the same rows at sizes that take a few seconds each. */
  public PeerOptions warmUp() {
    return new PeerOptions(
        quick,
        1,
        Math.min(runs, 4_000),
        Math.min(quartzRuns, 1_000),
        Math.min(dagTasks, 2_000),
        Math.min(dagRuns, 40),
        timeout,
        rows);
  }

  /**
   * W2's shapes: one DAG of 100 chains, a wide fan-out (root, every other task in parallel, sink),
   * and {@link #dagRuns} runs of a 50-task DAG (root, 4 chains of 12, sink).
   */
  public List<PlatformWorkloads.Dag> dags() {
    return List.of(
        new PlatformWorkloads.Dag(
            String.format("one %,d-task DAG (100 chains)", dagTasks), dagTasks, 100, 1),
        new PlatformWorkloads.Dag(
            String.format("one %,d-task wide fan-out (1 → %,d → 1)", dagTasks, dagTasks - 2),
            dagTasks,
            dagTasks - 2,
            1),
        new PlatformWorkloads.Dag(
            String.format("%,d runs of a 50-task DAG (root, 4 chains of 12, sink)", dagRuns),
            50,
            4,
            dagRuns));
  }
}
