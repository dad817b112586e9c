package io.flinkplatform.engine.testing;

import io.flinkplatform.engine.Platform;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A platform instance in its own JVM, for tests that kill an instance for real ({@code kill -9}).
 * Arguments: JDBC URL, instance name. Prints "STARTED" once it runs.
 */
public final class ChildInstance {
  private ChildInstance() {}

  public static void main(String[] args) throws Exception {
    Platform p =
        Platform.builder()
            .jdbcUrl(args[0], "root", "")
            .instanceName(args[1])
            .plugin(new TestTasks())
            .discoverPlugins(false)
            .pollInterval(Duration.ofMillis(100))
            .heartbeatInterval(Duration.ofMillis(250))
            .leaseDuration(Duration.ofSeconds(2))
            .logDirectory(Path.of("target", "task-logs"))
            .build()
            .start();
    System.out.println("STARTED");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
    p.stop();
  }

  /** Starts a child JVM running an instance on {@code jdbcUrl}; destroy it in a finally block. */
  public static Process launch(String jdbcUrl, String name) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ChildInstance.class.getName(),
                jdbcUrl,
                name));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    var reader = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
    String line;
    while ((line = reader.readLine()) != null) {
      if (line.contains("STARTED")) {
        Thread drain =
            new Thread(
                () -> {
                  try {
                    while (reader.readLine() != null) {
                      // keep the pipe from filling up
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
    }
    throw new IllegalStateException("child instance " + name + " ended before it started");
  }
}
