package io.flinkplatform.tasks.shell;

import io.flinkplatform.engine.Platform;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A platform instance with the shell plugin in a JVM of its own, for tests that kill an instance
 * for real ({@code kill -9}). Arguments: JDBC URL, instance name. Prints "STARTED" once it runs.
 */
public final class ShellChildInstance {
  private ShellChildInstance() {}

  public static void main(String[] args) throws Exception {
    Platform.builder()
        .jdbcUrl(args[0], "root", "")
        .instanceName(args[1])
        .plugin(new ShellTaskPlugin())
        .pluginSetting("shell.sweepInterval", "0s")
        .discoverPlugins(false)
        .pollInterval(Duration.ofMillis(100))
        .heartbeatInterval(Duration.ofMillis(250))
        .leaseDuration(Duration.ofSeconds(2))
        .logDirectory(io.flinkplatform.engine.testing.TestPlatforms.logDirectory(args[0]))
        .build()
        .start();
    System.out.println("STARTED");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }

  /** Starts a child JVM; destroy it in a finally block. */
  static Process launch(String jdbcUrl, String name) throws IOException {
    Process p =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m",
                    "-XX:TieredStopAtLevel=1",
                    "-cp",
                    System.getProperty("java.class.path"),
                    ShellChildInstance.class.getName(),
                    jdbcUrl,
                    name))
            .redirectErrorStream(true)
            .start();
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
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
    throw new IllegalStateException("child instance " + name + " ended before it started");
  }
}
