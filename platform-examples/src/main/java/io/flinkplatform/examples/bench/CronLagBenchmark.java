package io.flinkplatform.examples.bench;

import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.schedule.ScheduleSpec;
import io.flinkplatform.examples.EmbeddedDatabase;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * The cron fire-lag benchmark: many schedules on one embedded MariaDB, fired by several platform
 * instances in their own JVMs. Reports the lag from each nominal fire time to the run's creation
 * and to the start of its task, missed fire times and duplicates. See {@code docs/performance.md}.
 *
 * <p>Arguments: {@code --schedules=N} (10000), {@code --instances=N} (2), {@code --seconds=N}
 * (measured window, 180), {@code --lead-seconds=N} (time allowed for setting up before the window,
 * 90), {@code --flush-log-at-trx-commit=N} (1).
 */
public final class CronLagBenchmark {
  private CronLagBenchmark() {}

  record Options(int schedules, int instances, int seconds, int leadSeconds, int flush) {
    static Options parse(String[] args) {
      int schedules = 10_000;
      int instances = 2;
      int seconds = 180;
      int lead = 90;
      int flush = 1;
      for (String a : args) {
        String[] kv = a.replaceFirst("^--", "").split("=", 2);
        if (kv.length != 2) {
          throw new IllegalArgumentException("expected --name=value but was " + a);
        }
        int v = Integer.parseInt(kv[1]);
        switch (kv[0]) {
          case "schedules" -> schedules = v;
          case "instances" -> instances = v;
          case "seconds" -> seconds = v;
          case "lead-seconds" -> lead = v;
          case "flush-log-at-trx-commit" -> flush = v;
          default ->
              throw new IllegalArgumentException(
                  "unknown argument "
                      + a
                      + "; known: --schedules --instances --seconds --lead-seconds"
                      + " --flush-log-at-trx-commit");
        }
      }
      return new Options(schedules, instances, seconds, lead, flush);
    }
  }

  public static void main(String[] args) {
    int code;
    try {
      code = run(Options.parse(args)) ? 0 : 1;
    } catch (Exception e) {
      e.printStackTrace();
      code = 2;
    }
    System.exit(code);
  }

  static boolean run(Options o) throws Exception {
    System.out.printf(
        "Cron lag benchmark: %s; %d CPU cores%n", o, Runtime.getRuntime().availableProcessors());
    try (EmbeddedDatabase db =
        EmbeddedDatabase.start("cronlag", "--innodb-flush-log-at-trx-commit=" + o.flush())) {
      // the window starts and ends half a second off the whole seconds the crons fire at
      long startAt = (System.currentTimeMillis() / 1000 + o.leadSeconds()) * 1000 + 500;
      long endAt = startAt + o.seconds() * 1000L;
      setUp(db, o, Instant.ofEpochMilli(startAt), Instant.ofEpochMilli(endAt));
      List<Process> children = new ArrayList<>();
      try {
        for (int i = 1; i <= o.instances(); i++) {
          children.add(launch(db.jdbcUrl(), "lag-" + i));
        }
        long now = System.currentTimeMillis();
        if (now > startAt) {
          throw new IllegalStateException(
              "setting up took past the window's start; raise --lead-seconds");
        }
        System.out.printf(
            "%d instances started; the window opens in %d s and lasts %d s%n",
            o.instances(), (startAt - now) / 1000, o.seconds());
        Thread.sleep(endAt - System.currentTimeMillis() + 5_000); // let the last runs start
      } finally {
        for (Process p : children) {
          p.getOutputStream().close();
        }
        for (Process p : children) {
          if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
          }
        }
      }
      LagReport report = LagReport.read(db, startAt, endAt);
      report.print(System.out);
      return report.missed() == 0 && report.duplicates() == 0;
    }
  }

  /** Deploys the workflow and saves the schedules, on an instance that stops before the window. */
  private static void setUp(EmbeddedDatabase db, Options o, Instant startAt, Instant endAt)
      throws Exception {
    Platform setup =
        Platform.builder()
            .jdbcUrl(db.jdbcUrl(), "root", "")
            .instanceName("lag-setup")
            .plugin(new NoopPlugin())
            .discoverPlugins(false)
            .logDirectory(Files.createTempDirectory("cron-lag-logs-"))
            .build()
            .start();
    try {
      PlatformClient client = setup.client();
      client.deploy(Workflow.builder("lag").task("t", NoopPlugin.TYPE).build());
      long t0 = System.nanoTime();
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<?>> saves = new ArrayList<>();
        int threads = 4;
        for (int k = 0; k < threads; k++) {
          int first = k;
          saves.add(
              pool.submit(
                  () -> {
                    for (int i = first; i < o.schedules(); i += threads) {
                      // every minute, at second i % 60: as many fire each second
                      client.saveSchedule(
                          ScheduleSpec.builder("lag-" + i, "lag", (i % 60) + " * * * * ?")
                              .startAt(startAt)
                              .endAt(endAt)
                              .build());
                    }
                    return null;
                  }));
        }
        for (Future<?> f : saves) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      System.out.printf(
          "saved %d schedules in %d s%n",
          o.schedules(), Duration.ofNanos(System.nanoTime() - t0).toSeconds());
    } finally {
      setup.stop();
    }
  }

  private static Process launch(String jdbcUrl, String name) throws Exception {
    List<String> cmd =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            classPath(),
            CronLagInstance.class.getName(),
            jdbcUrl,
            name);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    BufferedReader reader = new BufferedReader(new InputStreamReader(p.getInputStream()));
    String line;
    while ((line = reader.readLine()) != null) {
      if (line.contains("STARTED")) {
        Thread drain =
            new Thread(
                () -> {
                  try {
                    String l;
                    while ((l = reader.readLine()) != null) {
                      if (l.contains("WARN") || l.contains("ERROR")) {
                        System.out.println("[" + name + "] " + l);
                      }
                    }
                  } catch (java.io.IOException ignored) {
                    // the child ended
                  }
                },
                "drain-" + name);
        drain.setDaemon(true);
        drain.start();
        return p;
      }
      System.out.println("[" + name + "] " + line);
    }
    throw new IllegalStateException("instance " + name + " ended before it started");
  }

  /** This class path: exec:java's class loader when run through Maven, else java.class.path. */
  private static String classPath() throws URISyntaxException {
    if (CronLagBenchmark.class.getClassLoader() instanceof URLClassLoader u
        && u.getURLs().length > 0) {
      List<String> parts = new ArrayList<>();
      for (URL url : u.getURLs()) {
        parts.add(new File(url.toURI()).getPath());
      }
      return parts.stream().collect(Collectors.joining(File.pathSeparator));
    }
    return System.getProperty("java.class.path");
  }
}
