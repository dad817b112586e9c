package io.flinkplatform.examples.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sizes and settings of a benchmark run, from {@code --name=value} arguments.
 *
 * @param runs scenario (a): one-task workflow runs to trigger; 0 skips it
 * @param dagTasks scenario (b): tasks of the single DAG (root, chains, sink); 0 skips it
 * @param chains parallel chains of the DAG
 * @param workerThreads the platform's worker threads
 * @param triggerThreads threads that trigger the runs of scenario (a)
 * @param triggerBatch runs created per transaction in scenario (a) ({@code triggerAll}); 1 = one
 *     {@code trigger} call per run
 * @param flushLogAtTrxCommit MariaDB's innodb_flush_log_at_trx_commit (1 = fsync every commit)
 * @param timeout how long one scenario may take
 */
public record BenchmarkOptions(
    int runs,
    int dagTasks,
    int chains,
    int workerThreads,
    int triggerThreads,
    int triggerBatch,
    int flushLogAtTrxCommit,
    Duration timeout) {

  public static final String USAGE =
      "arguments (all optional): --runs=10000 --dag-tasks=10000"
          + " --chains=100 --workers=16 --trigger-threads=4 --trigger-batch=1 --flush-log-at-trx-commit=1"
          + " --timeout-seconds=900";

  public static BenchmarkOptions defaults() {
    return parse();
  }

  public BenchmarkOptions {
    if (runs < 0
        || dagTasks < 0
        || (dagTasks > 0 && dagTasks < 3)
        || chains < 1
        || workerThreads < 1
        || triggerThreads < 1
        || triggerBatch < 1
        || flushLogAtTrxCommit < 0
        || flushLogAtTrxCommit > 2
        || timeout.isNegative()
        || timeout.isZero()) {
      throw new IllegalArgumentException("invalid benchmark options; " + USAGE);
    }
  }

  /** Reads {@code --name=value} arguments; what is not given keeps its default. */
  public static BenchmarkOptions parse(String... args) {
    Map<String, Integer> v = new LinkedHashMap<>();
    v.put("runs", 10_000);
    v.put("dag-tasks", 10_000);
    v.put("chains", 100);
    v.put("workers", 16);
    v.put("trigger-threads", 4);
    v.put("trigger-batch", 1);
    v.put("flush-log-at-trx-commit", 1);
    v.put("timeout-seconds", 900);
    for (String arg : args) {
      int eq = arg.indexOf('=');
      String name = eq < 0 || !arg.startsWith("--") ? "" : arg.substring(2, eq);
      if (!v.containsKey(name)) {
        throw new IllegalArgumentException("unknown argument '" + arg + "'; " + USAGE);
      }
      try {
        v.put(name, Integer.parseInt(arg.substring(eq + 1).replace("_", "").replace(",", "")));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a number in '" + arg + "'; " + USAGE);
      }
    }
    return new BenchmarkOptions(
        v.get("runs"),
        v.get("dag-tasks"),
        v.get("chains"),
        v.get("workers"),
        v.get("trigger-threads"),
        v.get("trigger-batch"),
        v.get("flush-log-at-trx-commit"),
        Duration.ofSeconds(v.get("timeout-seconds")));
  }
}
