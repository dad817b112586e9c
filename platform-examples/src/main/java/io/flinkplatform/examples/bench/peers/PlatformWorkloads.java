package io.flinkplatform.examples.bench.peers;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.TriggerRequest;
import io.flinkplatform.examples.bench.BenchWorkflows;
import io.flinkplatform.examples.bench.DbCounters;
import io.flinkplatform.examples.bench.NoopPlugin;
import io.flinkplatform.examples.bench.RunTracker;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * flink-platform's side of the comparison, through its public API only. Every measurement gets a
 * fresh schema; a client-only instance ({@code workerThreads(0)}) deploys the workflow and creates
 * all runs ({@code triggerAll}, {@value #TRIGGER_BATCH} per call) and stops; then the worker
 * instances start, each its own {@link Platform} in this JVM, and drain them. The rate is counted
 * from the first task claimed to the last run ended; the counters from before the workers start to
 * after the last run ended.
 */
public final class PlatformWorkloads {
  static final int TRIGGER_BATCH = 1_000;

  /** A W2 workload: {@code runs} runs of {@link BenchWorkflows#chains}{@code (tasks, chains)}. */
  public record Dag(String label, int tasks, int chains, int runs) {
    public long totalTasks() {
      return (long) tasks * runs;
    }
  }

  private final PeerDatabase db;
  private final Duration timeout;
  private final PrintStream log;
  private int measurements;

  public PlatformWorkloads(PeerDatabase db, Duration timeout, PrintStream log) {
    this.db = requireNonNull(db, "db is null");
    this.timeout = requireNonNull(timeout, "timeout is null");
    this.log = requireNonNull(log, "log is null");
  }

  /** W1: {@code runs} runs of a one-task workflow drained by {@code instances} instances. */
  public Sample drain(String row, int runs, int workers, int instances) throws Exception {
    return measure(row, BenchWorkflows.single("w1_drain"), runs, workers, instances);
  }

  /** W2: the runs of {@code dag}, all created before one instance of {@code workers} starts. */
  public Sample dag(String row, Dag dag, int workers) throws Exception {
    return measure(
        row, BenchWorkflows.chains("w2_dag", dag.tasks(), dag.chains()), dag.runs(), workers, 1);
  }

  private Sample measure(String row, Workflow workflow, int runs, int workers, int instances)
      throws Exception {
    String schema = "fp" + ++measurements;
    String url = db.freshSchema(schema);
    Path logs = Files.createTempDirectory("peers-task-logs-");
    ExecutionCounter executions = new ExecutionCounter();
    NoopPlugin noop = new NoopPlugin(c -> executions.executed(c.runId() + "/" + c.taskId()));
    RunTracker tracker = new RunTracker();
    tracker.reset(workflow.name());
    try {
      createRuns(platform(url, "client", 0, logs, noop, null), workflow, runs);
      DbCounters before = db.counters();
      List<Platform> instanceList = new ArrayList<>();
      DbCounters counters;
      IdleClaims idle;
      try (IdleClaimSampler sampler =
          IdleClaimSampler.start(db.connect(schema), workers * instances)) {
        for (int i = 0; i < instances; i++) {
          instanceList.add(platform(url, "bench-" + i, workers, logs, noop, tracker).start());
        }
        if (!tracker.await(runs, timeout)) {
          throw new IllegalStateException(
              row
                  + ": "
                  + (tracker.succeeded() + tracker.failed())
                  + " of "
                  + runs
                  + " runs ended within "
                  + timeout);
        }
        counters = db.counters().since(before);
        idle = sampler.between(tracker.firstClaimNanos(), tracker.lastEndNanos());
      } finally {
        instanceList.forEach(Platform::stop);
      }
      long units = (long) workflow.tasks().size() * runs;
      long distinct = executions.executions() - executions.duplicates();
      Sample s =
          new Sample(
              row,
              units,
              (tracker.lastEndNanos() - tracker.firstClaimNanos()) / 1e9,
              counters,
              executions.duplicates(),
              tracker.failed() + Math.max(0, units - distinct),
              idle);
      log.printf(
          "  %s: %,d in %.2f s = %,.0f/s, idle claims %d/%d%n",
          row, units, s.seconds(), s.perSecond(), idle.idle(), idle.samples());
      return s;
    } finally {
      db.dropSchema(schema);
      deleteRecursively(logs);
    }
  }

  /** Deploys and creates every run with a client-only instance, which then stops. */
  private void createRuns(Platform client, Workflow workflow, int runs) {
    try (client) {
      client.start();
      PlatformClient api = client.client();
      api.deploy(workflow);
      long start = System.nanoTime();
      for (int i = 0; i < runs; i += TRIGGER_BATCH) {
        api.triggerAll(
            Collections.nCopies(
                Math.min(TRIGGER_BATCH, runs - i), TriggerRequest.of(workflow.name())));
      }
      log.printf(
          "  created %,d runs of %s in %.2f s%n",
          runs, workflow.name(), (System.nanoTime() - start) / 1e9);
    }
  }

  private static Platform platform(
      String url, String name, int workers, Path logs, NoopPlugin noop, RunTracker tracker) {
    Platform.Builder b =
        Platform.builder()
            .jdbcUrl(url, "root", "")
            .instanceName(name)
            .workerThreads(workers)
            .poolSize(workers + 4) // the peers' pools: threads + 4
            .eventQueueCapacity(1_000_000) // the tracker must see every run end
            .logDirectory(logs) // noop tasks write none
            .plugin(noop);
    if (tracker != null) {
      b.listener(tracker);
    }
    return b.build();
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a temporary directory; the operating system cleans up what is left
    }
  }
}
