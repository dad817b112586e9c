package io.flinkplatform.engine.testing;

import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.SchemaMode;
import io.flinkplatform.engine.event.PlatformEvent;
import io.flinkplatform.engine.event.PlatformListener;
import io.flinkplatform.engine.run.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A platform instance in its own JVM, for tests that kill ({@code kill -9}), freeze ({@code
 * SIGSTOP}) or restart an instance for real. Arguments: JDBC URL, instance name, then optional
 * {@code key=value} settings:
 *
 * <ul>
 *   <li>{@code lease}, {@code heartbeat}, {@code poll}, {@code grace}: milliseconds (defaults 2000,
 *       250, 100, 2000);
 *   <li>{@code threads}: worker threads (default 16);
 *   <li>{@code clockOffset}: milliseconds added to this instance's clock, to simulate skew;
 *   <li>{@code labels}: comma-separated worker labels;
 *   <li>{@code schema}: the {@link SchemaMode} ({@code migrate} by default; {@code none} keeps
 *       Flyway off the instance's connections, which it would otherwise reset user variables on);
 *   <li>{@code freezeOnClaim}: a task id; the first time this instance claims an attempt of such a
 *       task, it prints "FREEZING" and stops itself with {@code SIGSTOP} right after the claim
 *       committed and before the attempt starts (the claim's {@code RUNNING} event is emitted on
 *       the claiming thread in between), until the test sends {@code SIGCONT}.
 *   <li>{@code alertLease}: milliseconds; alerts are delivered with quick timings (poll 100 ms,
 *       send timeout half the lease, retries from 300 ms up to 1 s) and this delivery lease.
 * </ul>
 *
 * <p>Prints "STARTED" once it runs. SIGTERM ({@link Process#destroy()}) stops it gracefully through
 * {@link Platform#stop()} and it prints "STOPPED" last.
 */
public final class ChildInstance {
  private ChildInstance() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = new HashMap<>();
    for (int i = 2; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      o.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    Clock clock =
        Clock.offset(
            Clock.systemUTC(),
            Duration.ofMillis(Long.parseLong(o.getOrDefault("clockOffset", "0"))));
    Platform.Builder b =
        Platform.builder()
            .jdbcUrl(args[0], "root", "")
            .instanceName(args[1])
            .plugin(new TestTasks())
            .discoverPlugins(false)
            .clock(clock)
            .workerThreads(Integer.parseInt(o.getOrDefault("threads", "16")))
            .pollInterval(millis(o, "poll", 100))
            .heartbeatInterval(millis(o, "heartbeat", 250))
            .leaseDuration(millis(o, "lease", 2000))
            .shutdownGracePeriod(millis(o, "grace", 2000))
            .logDirectory(TestPlatforms.logDirectory(args[0]))
            .schemaMode(SchemaMode.valueOf(o.getOrDefault("schema", "migrate").toUpperCase()));
    if (o.containsKey("labels")) {
      b.labels(o.get("labels").split(","));
    }
    if (o.containsKey("alertLease")) {
      Duration lease = millis(o, "alertLease", 3000);
      b.alerts(
          new io.flinkplatform.engine.alert.AlertSettings(
              true,
              Duration.ofMillis(100),
              lease,
              lease.dividedBy(2),
              Duration.ofMillis(300),
              Duration.ofSeconds(1),
              Duration.ofHours(1),
              2,
              Duration.ofSeconds(15),
              Duration.ofSeconds(5)));
    }
    if (o.containsKey("freezeOnClaim")) {
      b.listener(freezeOnClaim(o.get("freezeOnClaim")));
    }
    Platform p = b.build().start();
    Thread stopper =
        new Thread(
            () -> {
              p.stop();
              System.out.println("STOPPED");
              System.out.flush();
            },
            "graceful-stop");
    Runtime.getRuntime().addShutdownHook(stopper);
    System.out.println("STARTED");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }

  private static PlatformListener freezeOnClaim(String taskId) {
    AtomicBoolean done = new AtomicBoolean();
    return e -> {
      if (e instanceof PlatformEvent.TaskStateChanged t
          && t.state() == TaskState.RUNNING
          && t.taskId().equals(taskId)
          && done.compareAndSet(false, true)) {
        System.out.println("FREEZING at the claim of run " + t.runId() + " task '" + taskId + "'");
        System.out.flush();
        try {
          // returns once SIGCONT arrived (the whole JVM stops, this thread included)
          new ProcessBuilder("kill", "-STOP", Long.toString(ProcessHandle.current().pid()))
              .start()
              .waitFor();
        } catch (Exception ex) {
          throw new IllegalStateException("could not freeze", ex);
        }
      }
    };
  }

  private static Duration millis(Map<String, String> o, String key, long dflt) {
    return Duration.ofMillis(Long.parseLong(o.getOrDefault(key, Long.toString(dflt))));
  }

  /**
   * Stops the instance gracefully (SIGTERM) and waits up to {@code wait} for it to end; returns its
   * exit code, or -1 if it still runs.
   */
  public static int stop(Process child, Duration wait) throws InterruptedException {
    child.toHandle().destroy();
    return child.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS) ? child.exitValue() : -1;
  }

  /**
   * Settings for {@link #launch} that give the instance the platform's defaults (lease, heartbeat,
   * poll interval, grace period, worker threads) instead of the quick test timings, plus {@code
   * more}.
   */
  public static String[] platformDefaults(String... more) {
    List<String> settings =
        new ArrayList<>(
            List.of(
                "lease=" + Platform.DEFAULT_LEASE_DURATION.toMillis(),
                "heartbeat=" + Platform.DEFAULT_HEARTBEAT_INTERVAL.toMillis(),
                "poll=" + Platform.DEFAULT_POLL_INTERVAL.toMillis(),
                "grace=" + Platform.DEFAULT_SHUTDOWN_GRACE_PERIOD.toMillis(),
                "threads=" + Platform.DEFAULT_WORKER_THREADS));
    settings.addAll(List.of(more));
    return settings.toArray(String[]::new);
  }

  /**
   * Starts a child JVM running an instance on {@code jdbcUrl} and waits until it runs; its output
   * goes to {@code target/instances/<name>.log}. Destroy it in a finally block.
   *
   * <p>The output goes to the file directly (not through a pipe this JVM drains): when a process
   * ends, the JDK closes its pipe under a reader that is blocked on it, and whatever the child
   * wrote last (what it logs while it stops) would be lost.
   */
  public static Process launch(String jdbcUrl, String name, String... settings) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                ChildInstance.class.getName(),
                jdbcUrl,
                name));
    cmd.addAll(List.of(settings));
    Path log = Path.of("target", "instances", name + ".log");
    Files.createDirectories(log.getParent());
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (System.nanoTime() < deadline) {
      if (Files.readString(log).contains("STARTED")) {
        return p;
      }
      if (!p.isAlive()) {
        throw new IllegalStateException(
            "child instance " + name + " ended before it started; its output is in " + log);
      }
      Thread.sleep(50);
    }
    p.destroyForcibly().waitFor();
    throw new IllegalStateException(
        "child instance " + name + " did not start within 2 minutes; its output is in " + log);
  }
}
