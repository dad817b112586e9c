package io.flinkplatform.tasks.sql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.MalformedURLException;
import java.net.Socket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A HiveServer2 process for tests: Hive 4 from the class path that {@code src/test/hive/pom.xml}
 * resolves, with an embedded Derby metastore, a warehouse in a temporary directory and local
 * MapReduce, listening on a free loopback port without authentication. {@link #close} stops it (and
 * anything it started) and removes the directory. {@link #driverLoader} holds Hive's standalone
 * JDBC driver apart from the test's own class path.
 */
final class HiveServer implements AutoCloseable {
  private static final Duration START_LIMIT = Duration.ofSeconds(180);

  /** What Hive 4 reaches into on Java 17 (Kryo, Hadoop): opened to it, as its scripts do. */
  private static final List<String> OPENS =
      List.of(
          "java.base/java.lang",
          "java.base/java.lang.invoke",
          "java.base/java.lang.reflect",
          "java.base/java.io",
          "java.base/java.math",
          "java.base/java.net",
          "java.base/java.nio",
          "java.base/java.security",
          "java.base/java.text",
          "java.base/java.time",
          "java.base/java.util",
          "java.base/java.util.concurrent",
          "java.base/java.util.concurrent.atomic",
          "java.base/java.util.regex",
          "java.base/jdk.internal.misc",
          "java.base/sun.nio.ch",
          "java.base/sun.nio.cs",
          "java.base/sun.security.action",
          "java.sql/java.sql");

  private final Path dir;
  private final int port;
  private final Process process;
  private final URLClassLoader driverLoader;
  private final Thread shutdownHook;

  private HiveServer(Path dir, int port, Process process, URLClassLoader driverLoader) {
    this.dir = dir;
    this.port = port;
    this.process = process;
    this.driverLoader = driverLoader;
    this.shutdownHook = new Thread(() -> ServerProcesses.stop(process), "hive-test-server-stop");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Starts HiveServer2 from the class path listed in {@code classpathFile} and waits for it. */
  static HiveServer start(Path classpathFile) throws IOException, InterruptedException {
    List<String> jars = List.of(Files.readString(classpathFile).strip().split(":"));
    List<String> server = new ArrayList<>();
    String driverJar = null;
    for (String jar : jars) {
      if (jar.matches(".*/hive-jdbc-[^/]*-standalone\\.jar")) {
        driverJar = jar;
      } else {
        server.add(jar);
      }
    }
    if (driverJar == null) {
      throw new IllegalStateException("no hive-jdbc standalone jar in " + classpathFile);
    }
    Path dir = Files.createTempDirectory("fp-hive-");
    for (String sub : List.of("warehouse", "scratch", "local", "logs")) {
      Files.createDirectories(dir.resolve(sub));
    }
    Path log4j2 = dir.resolve("log4j2.properties");
    Files.writeString(
        log4j2,
        String.join(
            "\n",
            "status = error",
            "appender.console.type = Console",
            "appender.console.name = console",
            "appender.console.layout.type = PatternLayout",
            "appender.console.layout.pattern = %d %p %c{1}: %m%n",
            "rootLogger.level = warn",
            "rootLogger.appenderRef.console.ref = console",
            ""));
    int port = ServerProcesses.freePort();
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xmx1g");
    for (String open : OPENS) {
      command.add("--add-opens");
      command.add(open + "=ALL-UNNAMED");
    }
    command.add("-Dderby.stream.error.file=" + dir.resolve("logs/derby.log"));
    command.add("-Dlog4j.configurationFile=" + log4j2);
    command.add("-Dhive.log.dir=" + dir.resolve("logs"));
    command.add("-cp");
    command.add(String.join(":", server));
    command.add("org.apache.hive.service.server.HiveServer2");
    String[][] settings = {
      {"hive.server2.thrift.bind.host", "127.0.0.1"},
      {"hive.server2.thrift.port", Integer.toString(port)},
      {"hive.server2.transport.mode", "binary"},
      {"hive.server2.webui.port", "0"},
      {"hive.server2.authentication", "NONE"},
      {"hive.server2.enable.doAs", "false"},
      {
        "javax.jdo.option.ConnectionURL",
        "jdbc:derby:;databaseName=" + dir.resolve("metastore_db") + ";create=true"
      },
      {"hive.metastore.uris", ""},
      {"hive.metastore.schema.verification", "false"},
      {"datanucleus.schema.autoCreateAll", "true"},
      {"hive.metastore.warehouse.dir", dir.resolve("warehouse").toUri().toString()},
      {"hive.exec.scratchdir", dir.resolve("scratch").toString()},
      {"hive.exec.local.scratchdir", dir.resolve("local").toString()},
      {"hive.querylog.location", dir.resolve("logs").toString()},
      {"hive.server2.logging.operation.log.location", dir.resolve("logs/operations").toString()},
      {"hive.execution.engine", "mr"},
      {"mapreduce.framework.name", "local"},
      {"hive.exec.mode.local.auto", "true"},
      {"hive.stats.autogather", "false"},
      {"fs.defaultFS", "file:///"},
    };
    for (String[] setting : settings) {
      command.add("--hiveconf");
      command.add(setting[0] + "=" + setting[1]);
    }
    Process process =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("logs/server.log").toFile())
            .start();
    HiveServer hive = new HiveServer(dir, port, process, loader(driverJar));
    try {
      hive.awaitListening();
      return hive;
    } catch (IOException | InterruptedException | RuntimeException e) {
      String log = hive.logTail();
      hive.close();
      throw new IllegalStateException("HiveServer2 did not start: " + log, e);
    }
  }

  /** The JDBC URL of the server's {@code default} database. */
  String jdbcUrl() {
    return "jdbc:hive2://127.0.0.1:" + port + "/default";
  }

  /** A class loader that holds only Hive's standalone JDBC driver. */
  ClassLoader driverLoader() {
    return driverLoader;
  }

  private static URLClassLoader loader(String jar) {
    try {
      return new URLClassLoader(
          new URL[] {Path.of(jar).toUri().toURL()}, ClassLoader.getPlatformClassLoader());
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException(jar, e);
    }
  }

  private void awaitListening() throws IOException, InterruptedException {
    long end = System.nanoTime() + START_LIMIT.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the server exited with " + process.exitValue());
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        return;
      } catch (IOException e) {
        // not listening yet
      }
      if (System.nanoTime() > end) {
        throw new IllegalStateException("not listening within " + START_LIMIT);
      }
      Thread.sleep(500);
    }
  }

  private String logTail() {
    Path file = dir.resolve("logs/server.log");
    try {
      List<String> lines = Files.readAllLines(file);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    ServerProcesses.stop(process);
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook runs anyway
    }
    try {
      driverLoader.close();
    } catch (IOException e) {
      // only open jar files
    }
    ServerProcesses.deleteQuietly(dir);
  }
}
