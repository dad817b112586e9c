package io.flinkplatform.engine.testing;

import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.SchemaMode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
 *       Flyway off the instance's connections, which it would otherwise reset user variables on).
 * </ul>
 *
 * <p>Prints "STARTED" once it runs. SIGTERM stops it gracefully through {@link Platform#stop()} and
 * it prints "STOPPED" last. Send it with {@link #stop(Process)}: {@link Process#destroy()} sends
 * SIGTERM too but closes the pipe at once, so what the instance logs while stopping is lost.
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
            .logDirectory(Path.of("target", "task-logs"))
            .schemaMode(SchemaMode.valueOf(o.getOrDefault("schema", "migrate").toUpperCase()));
    if (o.containsKey("labels")) {
      b.labels(o.get("labels").split(","));
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

  /**
   * Stops the instance gracefully (SIGTERM, keeping its output flowing to the log) and waits up to
   * {@code wait} for it to end; returns its exit code, or -1 if it still runs.
   */
  public static int stop(Process child, Duration wait) throws InterruptedException {
    child.toHandle().destroy();
    return child.waitFor(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        ? child.exitValue()
        : -1;
  }

  private static Duration millis(Map<String, String> o, String key, long dflt) {
    return Duration.ofMillis(Long.parseLong(o.getOrDefault(key, Long.toString(dflt))));
  }

  /**
   * Starts a child JVM running an instance on {@code jdbcUrl} and waits until it runs; its output
   * goes to {@code target/instances/<name>.log}. Destroy it in a finally block.
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
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    BufferedReader reader = new BufferedReader(new InputStreamReader(p.getInputStream()));
    Path log = Path.of("target", "instances", name + ".log");
    Files.createDirectories(log.getParent());
    PrintWriter out = new PrintWriter(Files.newBufferedWriter(log), true);
    String line;
    while ((line = reader.readLine()) != null) {
      out.println(line);
      if (line.contains("STARTED")) {
        Thread drain =
            new Thread(
                () -> {
                  try (out) {
                    String l;
                    while ((l = reader.readLine()) != null) {
                      out.println(l);
                    }
                  } catch (IOException ignored) {
                    // the child ended
                  }
                },
                "drain-" + name);
        drain.setDaemon(true);
        drain.start();
        return p;
      }
    }
    out.close();
    throw new IllegalStateException(
        "child instance " + name + " ended before it started; its output is in " + log);
  }
}
