package io.flinkplatform.examples.bench;

import io.flinkplatform.engine.Platform;
import java.io.IOException;
import java.nio.file.Files;

/**
 * One platform instance of the cron fire-lag benchmark, in its own JVM. Arguments: JDBC URL,
 * instance name. Prints {@code STARTED} once it runs and stops when its standard input closes (the
 * harness closes it, and so does the harness's death).
 */
public final class CronLagInstance {
  private CronLagInstance() {}

  public static void main(String[] args) throws IOException {
    Platform platform =
        Platform.builder()
            .jdbcUrl(args[0], "root", "")
            .instanceName(args[1])
            .plugin(new NoopPlugin())
            .discoverPlugins(false)
            .logDirectory(Files.createTempDirectory("cron-lag-logs-"))
            .build()
            .start();
    System.out.println("STARTED");
    System.out.flush();
    try {
      while (System.in.read() >= 0) {
        // wait for end of input
      }
    } finally {
      platform.stop();
      System.out.println("STOPPED");
      System.out.flush();
    }
    System.exit(0);
  }
}
