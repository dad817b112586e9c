package io.flinkplatform.tasks.sql;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A private ClickHouse server process for tests: its own temporary data directory and
 * configuration, free loopback ports for HTTP and the native protocol, the user {@code default} (no
 * password, for the test's own checks) and {@link #USER} with {@link #PASSWORD}. Started by {@link
 * #start}, which waits until it answers; {@link #close} stops it and removes the directory.
 */
final class ClickHouseServer implements AutoCloseable {
  static final String USER = "etl";
  static final String PASSWORD = "Ch-S3cret-pw";
  private static final Duration START_LIMIT = Duration.ofSeconds(90);

  private final Path dir;
  private final int httpPort;
  private final int nativePort;
  private final Process process;
  private final Thread shutdownHook;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private ClickHouseServer(Path dir, int httpPort, int nativePort, Process process) {
    this.dir = dir;
    this.httpPort = httpPort;
    this.nativePort = nativePort;
    this.process = process;
    this.shutdownHook =
        new Thread(() -> ServerProcesses.stop(process), "clickhouse-test-server-stop");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts {@code binary} (e.g. {@code /usr/sbin/clickhouse-server}) and waits until it answers.
   */
  static ClickHouseServer start(Path binary) throws IOException, InterruptedException {
    requireNonNull(binary, "binary is null");
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(
          binary + " is not an executable ClickHouse server (apt-get install clickhouse-server)");
    }
    Path dir = Files.createTempDirectory("fp-clickhouse-");
    int httpPort = ServerProcesses.freePort();
    int nativePort = ServerProcesses.freePort();
    Files.writeString(dir.resolve("config.xml"), config(dir, httpPort, nativePort));
    Files.writeString(dir.resolve("users.xml"), USERS);
    Process process =
        new ProcessBuilder(binary.toString(), "--config-file=" + dir.resolve("config.xml"))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("stdout.log").toFile())
            .start();
    ClickHouseServer server = new ClickHouseServer(dir, httpPort, nativePort, process);
    try {
      server.awaitReady();
      return server;
    } catch (IOException | InterruptedException | RuntimeException e) {
      String log = server.logTail();
      server.close();
      throw new IllegalStateException("the ClickHouse server did not start: " + log, e);
    }
  }

  /** A JDBC URL of the HTTP interface, for database {@code database}. */
  String jdbcUrl(String database) {
    return "jdbc:clickhouse://127.0.0.1:" + httpPort + "/" + database;
  }

  int nativePort() {
    return nativePort;
  }

  /** Runs {@code sql} as the user {@code default} over HTTP; returns the body (TabSeparated). */
  String query(String sql) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/"))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(sql))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(
          "ClickHouse answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  /** The queries running now, other than the one asking. */
  List<String> runningQueries() throws IOException, InterruptedException {
    return query(
            "SELECT query FROM system.processes WHERE query NOT LIKE '%system.processes%'"
                + " FORMAT TabSeparated")
        .lines()
        .toList();
  }

  private void awaitReady() throws IOException, InterruptedException {
    long end = System.nanoTime() + START_LIMIT.toNanos();
    URI ping =
        URI.create(
            "http://127.0.0.1:"
                + httpPort
                + "/?query="
                + URLEncoder.encode("SELECT 1", StandardCharsets.UTF_8));
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the server exited with " + process.exitValue());
      }
      try {
        HttpResponse<String> response =
            http.send(HttpRequest.newBuilder(ping).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200 && response.body().strip().equals("1")) {
          try (Socket socket = new Socket()) { // the native protocol's port is open too
            socket.connect(new InetSocketAddress("127.0.0.1", nativePort), 2000);
          }
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (System.nanoTime() > end) {
        throw new IllegalStateException("no answer within " + START_LIMIT);
      }
      Thread.sleep(200);
    }
  }

  /** The end of the server's logs, for a failure message. */
  private String logTail() {
    StringBuilder out = new StringBuilder();
    for (String name : List.of("stdout.log", "server.err.log")) {
      Path file = dir.resolve(name);
      try {
        if (Files.exists(file)) {
          List<String> lines = Files.readAllLines(file);
          out.append(name)
              .append(": ")
              .append(
                  String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())))
              .append('\n');
        }
      } catch (IOException | UncheckedIOException e) {
        out.append(name).append(": unreadable (").append(e.getMessage()).append(")\n");
      }
    }
    return out.toString();
  }

  @Override
  public void close() {
    ServerProcesses.stop(process);
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook runs anyway
    }
    ServerProcesses.deleteQuietly(dir);
  }

  private static String config(Path dir, int httpPort, int nativePort) {
    String data = dir.resolve("data") + "/";
    return """
        <?xml version="1.0"?>
        <yandex>
          <logger>
            <level>warning</level>
            <log>%1$sserver.log</log>
            <errorlog>%1$sserver.err.log</errorlog>
            <console>0</console>
          </logger>
          <listen_host>127.0.0.1</listen_host>
          <http_port>%2$d</http_port>
          <tcp_port>%3$d</tcp_port>
          <path>%4$s</path>
          <tmp_path>%4$stmp/</tmp_path>
          <user_files_path>%4$suser_files/</user_files_path>
          <format_schema_path>%4$sformat_schemas/</format_schema_path>
          <users_config>users.xml</users_config>
          <default_profile>default</default_profile>
          <default_database>default</default_database>
          <mark_cache_size>104857600</mark_cache_size>
          <uncompressed_cache_size>104857600</uncompressed_cache_size>
          <max_concurrent_queries>50</max_concurrent_queries>
          <mlock_executable>false</mlock_executable>
        </yandex>
        """
        .formatted(dir + "/", httpPort, nativePort, data);
  }

  private static final String USERS =
      """
      <?xml version="1.0"?>
      <yandex>
        <profiles>
          <default>
            <max_memory_usage>1000000000</max_memory_usage>
          </default>
        </profiles>
        <users>
          <default>
            <password></password>
            <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
            <profile>default</profile>
            <quota>default</quota>
          </default>
          <%1$s>
            <password>%2$s</password>
            <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
            <profile>default</profile>
            <quota>default</quota>
          </%1$s>
        </users>
        <quotas>
          <default>
            <interval>
              <duration>3600</duration>
              <queries>0</queries>
              <errors>0</errors>
              <result_rows>0</result_rows>
              <read_rows>0</read_rows>
              <execution_time>0</execution_time>
            </interval>
          </default>
        </quotas>
      </yandex>
      """
          .formatted(USER, PASSWORD);
}
