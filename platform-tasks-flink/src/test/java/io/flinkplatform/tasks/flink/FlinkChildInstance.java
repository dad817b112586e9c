package io.flinkplatform.tasks.flink;

import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.testing.TestTasks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A platform instance with the flink plugin in its own JVM, targeting a session cluster, for tests
 * that kill it for real ({@code kill -9}). Arguments: JDBC URL, instance name, REST port of the
 * session cluster. Prints "STARTED" once it runs.
 */
public final class FlinkChildInstance {
  private FlinkChildInstance() {}

  public static void main(String[] args) throws Exception {
    Platform.builder()
        .jdbcUrl(args[0], "root", "")
        .instanceName(args[1])
        .plugin(new TestTasks())
        .plugin(new FlinkTaskPlugin())
        .discoverPlugins(false)
        .pollInterval(Duration.ofMillis(100))
        .heartbeatInterval(Duration.ofMillis(250))
        .leaseDuration(Duration.ofSeconds(2))
        .shutdownGracePeriod(Duration.ofSeconds(2))
        .logDirectory(io.flinkplatform.engine.testing.TestPlatforms.logDirectory(args[0]))
        .pluginSetting("flink.target", "session")
        .pluginSetting("flink.poll-interval", "200ms")
        .pluginSetting("flink.conf.rest.address", "127.0.0.1")
        .pluginSetting("flink.conf.rest.port", args[2])
        .build()
        .start();
    System.out.println("STARTED");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }

  /** Starts the child JVM and waits until its platform runs; output in target/instances. */
  static Process launch(String jdbcUrl, String name, int port) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx768m");
    cmd.addAll(List.of(System.getProperty("bench.jvm.opens", "").split("\\s+")));
    cmd.removeIf(String::isEmpty);
    cmd.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            FlinkChildInstance.class.getName(),
            jdbcUrl,
            name,
            Integer.toString(port)));
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
        throw new IllegalStateException(name + " ended before it started; see " + log);
      }
      Thread.sleep(100);
    }
    p.destroyForcibly();
    throw new IllegalStateException(name + " did not start within 2 minutes; see " + log);
  }
}
