package io.flinkplatform.tasks.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.testing.TestPlatforms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Submit-to-RUNNING latency of one jar job on one session cluster: through the plugin (trigger a
 * run; the engine claims it, the plugin builds the job graph and submits it over REST) against the
 * {@code flink run} path ({@code CliFrontend run -d} started as a process). The clock stops when
 * the cluster reports the job RUNNING, watched every 5 ms. Run with {@code -Pbench}; see
 * docs/tasks/flink.md.
 */
@Tag("bench")
class SubmitLatencyBenchmark {
  static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
  static final String MAIN = "io.flinkplatform.tasks.flink.testjobs.SequenceJob";
  @TempDir Path tmp;

  @Test
  void pluginAgainstFlinkRunProcess() throws Exception {
    Path jar = TestJars.jobJar(tmp, MAIN);
    Path conf = Files.createDirectories(tmp.resolve("conf"));
    try (SessionCluster session = new SessionCluster(8);
        TestPlatforms platforms = new TestPlatforms()) {
      Files.writeString(
          conf.resolve("config.yaml"),
          "rest.address: 127.0.0.1\nrest.port: " + session.port + "\n");
      FlinkTaskPlugin plugin = new FlinkTaskPlugin();
      PlatformClient client =
          platforms
              .start(
                  "bench",
                  b ->
                      b.plugin(plugin)
                          .pluginSetting("flink.target", "session")
                          .pluginSetting("flink.conf.rest.address", "127.0.0.1")
                          .pluginSetting("flink.conf.rest.port", Integer.toString(session.port)))
              .client();
      client.deploy(
          Workflow.builder("bench")
              .task(
                  "job",
                  "flink_jar",
                  t ->
                      t.option("jar", jar.toUri().toString())
                          .option("args", List.of("1000000000000"))
                          .option("parallelism", 1))
              .build());
      List<Long> viaPlugin = new ArrayList<>();
      List<Long> viaCli = new ArrayList<>();
      for (int i = 0; i < ROUNDS + 1; i++) {
        long p = timed(session, () -> client.trigger("bench"));
        long c = timed(session, () -> cli(jar, conf));
        if (i > 0) { // the first round warms up class loading on both sides
          viaPlugin.add(p);
          viaCli.add(c);
        }
        for (JobStatusMessage j : session.cluster.listJobs().get(10, TimeUnit.SECONDS)) {
          if (!j.getJobState().isGloballyTerminalState()) {
            session.cluster.cancelJob(j.getJobId()).get(10, TimeUnit.SECONDS);
          }
        }
        for (var r : client.runs("bench", 10)) {
          client.kill(r.id());
        }
      }
      long plugin50 = median(viaPlugin);
      long cli50 = median(viaCli);
      System.out.printf(
          "submit-to-RUNNING, %d rounds, %d cores: plugin median %d ms %s, flink run process"
              + " median %d ms %s, ratio %.1fx%n",
          ROUNDS,
          Runtime.getRuntime().availableProcessors(),
          plugin50,
          viaPlugin,
          cli50,
          viaCli,
          (double) cli50 / plugin50);
      assertThat(plugin50).isLessThan(cli50);
    }
  }

  interface Submit {
    void run() throws Exception;
  }

  /** Milliseconds from the call until a job not seen before is RUNNING on the cluster. */
  static long timed(SessionCluster session, Submit submit) throws Exception {
    Set<JobID> before =
        session.cluster.listJobs().get(10, TimeUnit.SECONDS).stream()
            .map(JobStatusMessage::getJobId)
            .collect(Collectors.toSet());
    long start = System.nanoTime();
    submit.run();
    while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(120)) {
      for (JobStatusMessage j : session.cluster.listJobs().get(10, TimeUnit.SECONDS)) {
        if (!before.contains(j.getJobId()) && j.getJobState() == JobStatus.RUNNING) {
          return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        }
      }
      Thread.sleep(5);
    }
    throw new AssertionError("no new job reached RUNNING within 120 s");
  }

  /** {@code flink run -d -c MAIN jar 1000000000000} as the seeds run it: a new JVM per job. */
  static void cli(Path jar, Path conf) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String opt : System.getProperty("bench.jvm.opens", "").split(" ")) {
      if (!opt.isBlank()) {
        cmd.add(opt);
      }
    }
    cmd.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            "org.apache.flink.client.cli.CliFrontend",
            "run",
            "-d",
            "-p",
            "1",
            "-c",
            MAIN,
            jar.toString(),
            "1000000000000"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("FLINK_CONF_DIR", conf.toString());
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError("flink run failed with exit code " + p.exitValue());
      }
    } finally {
      p.destroyForcibly();
    }
  }

  static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
