package io.flinkplatform.tasks.shell;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.flinkplatform.engine.testing.TestTaskContext;
import io.flinkplatform.spi.TaskConfig;
import io.flinkplatform.spi.TaskOutcome;
import io.flinkplatform.spi.TaskOutcome.Failure;
import io.flinkplatform.spi.TaskOutcome.Success;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resources staged into the working directory from files, the class path and HTTP. */
class ShellResourcesTest {
  private static HttpServer server;
  private static String base;

  @TempDir Path tmp;

  @BeforeAll
  static void startServer() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/data.csv",
        exchange -> {
          byte[] body = "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.createContext(
        "/missing",
        exchange -> {
          exchange.sendResponseHeaders(404, -1);
          exchange.close();
        });
    server.createContext("/big", exchange -> send(exchange, 3000, false));
    server.createContext("/big-chunked", exchange -> send(exchange, 3000, true));
    server.createContext("/exact", exchange -> send(exchange, 1000, false));
    server.createContext("/redirect-same", exchange -> redirect(exchange, "/data.csv"));
    server.createContext(
        "/redirect-https",
        exchange ->
            redirect(exchange, "https://127.0.0.1:" + server.getAddress().getPort() + "/data.csv"));
    server.createContext("/loop", exchange -> redirect(exchange, "/loop"));
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private static void send(HttpExchange exchange, int size, boolean chunked) throws IOException {
    byte[] body = new byte[size];
    Arrays.fill(body, (byte) 'z');
    exchange.sendResponseHeaders(200, chunked ? 0 : size);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static void redirect(HttpExchange exchange, String location) throws IOException {
    exchange.getResponseHeaders().add("Location", location);
    exchange.sendResponseHeaders(302, -1);
    exchange.close();
  }

  @AfterAll
  static void stopServer() {
    server.stop(0);
  }

  private static TaskOutcome run(TestTaskContext context, Optional<Path> resourceDirectory) {
    ShellTaskType type = new ShellTaskType();
    type.attach(new ShellRuntime(ProcessTracker.NONE, resourceDirectory));
    return type.execute(context);
  }

  @Test
  void stagesFilesDirectoriesClassPathAndHttpSources() throws Exception {
    Path script = tmp.resolve("job.sh");
    Files.writeString(script, "#!/bin/sh\necho \"job ran with $1\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path conf = Files.createDirectories(tmp.resolve("conf/nested"));
    Files.writeString(conf.resolve("app.properties"), "k=v\n");
    Path library = Files.createDirectories(tmp.resolve("library"));
    Files.writeString(library.resolve("lib.sql"), "select 1;\n");
    Map<String, String> resources = new LinkedHashMap<>();
    resources.put("bin/job.sh", script.toString());
    resources.put("conf", tmp.resolve("conf").toUri().toString());
    resources.put("hello.txt", "classpath:staged/hello.txt");
    resources.put("in/data.csv", base + "/data.csv");
    resources.put("lib.sql", "lib.sql");
    TestTaskContext context =
        TestTaskContext.of(
            Map.of(
                "command",
                "./bin/job.sh x && cat conf/nested/app.properties hello.txt in/data.csv lib.sql",
                "resources",
                resources),
            new ShellTaskType().options());

    TaskOutcome outcome = run(context, Optional.of(library));

    assertThat(outcome).isInstanceOf(Success.class);
    assertThat(context.memoryLog().lines())
        .contains("job ran with x", "k=v", "from the class path", "a,b", "1,2", "select 1;")
        .contains("[shell] staged in/data.csv from " + base + "/data.csv");
  }

  @Test
  void aResourceThatCannotBeStagedFailsTheAttemptBeforeAnythingRuns() throws Exception {
    Path marker = tmp.resolve("ran");
    for (String source :
        List.of(
            tmp.resolve("nope").toString(),
            base + "/missing",
            "classpath:no/such/thing",
            "relative/without/setting")) {
      TestTaskContext context =
          TestTaskContext.of(
              Map.of("command", "touch " + marker, "resources", Map.of("r", source)),
              new ShellTaskType().options());

      TaskOutcome outcome = run(context, Optional.empty());

      assertThat(outcome).isInstanceOf(Failure.class);
      assertThat(((Failure) outcome).message())
          .startsWith("could not start the process: could not stage resource 'r': ");
      assertThat(marker).doesNotExist();
    }
    TaskOutcome http =
        run(
            TestTaskContext.of(
                Map.of("command", "true", "resources", Map.of("r", base + "/missing")),
                new ShellTaskType().options()),
            Optional.empty());
    assertThat(((Failure) http).message()).endsWith("HTTP status 404");
  }

  @Test
  void relativeSourcesStayInsideTheResourceDirectory() throws Exception {
    Path library = Files.createDirectories(tmp.resolve("library"));
    Files.writeString(tmp.resolve("secret.txt"), "outside");

    TaskOutcome outcome =
        run(
            TestTaskContext.of(
                Map.of("command", "true", "resources", Map.of("s", "../secret.txt")),
                new ShellTaskType().options()),
            Optional.of(library));

    assertThat(((Failure) outcome).message())
        .endsWith("the source '../secret.txt' leaves shell.resourceDirectory");
  }

  @Test
  void validationRejectsTargetsOutsideTheWorkingDirectoryAndBadSources() {
    ShellTaskType type = new ShellTaskType();
    Map<String, String> resources = new LinkedHashMap<>();
    resources.put("../escape", "/etc/hostname");
    resources.put("/abs", "/etc/hostname");
    resources.put("ok", "ftp://example/x");
    resources.put("fine", "https://user:pw@example.com/f?token=abc");

    List<String> problems =
        type.validate(
            TaskConfig.of(Map.of("command", "true", "resources", resources), type.options()));

    assertThat(problems)
        .containsExactly(
            "'resources' has the target '../escape', which is not a relative path inside the"
                + " working directory",
            "'resources' has the target '/abs', which is not a relative path inside the working"
                + " directory",
            "'resources' entry 'ok': 'ftp://example/x' is not a resource source; use an absolute"
                + " path, a path relative to the shell.resourceDirectory setting, a file: URI,"
                + " classpath:name, an http(s) URL or resource:name[@version] (an uploaded"
                + " resource)");
  }

  @Test
  void credentialsInSourceUrlsAreNotLogged() throws Exception {
    TestTaskContext context =
        TestTaskContext.of(
            Map.of(
                "command",
                "cat d.csv",
                "resources",
                Map.of("d.csv", base.replace("http://", "http://user:pw@") + "/data.csv?k=s3cr3t")),
            new ShellTaskType().options());

    assertThat(run(context, Optional.empty())).isInstanceOf(Success.class);
    assertThat(context.memoryLog().lines())
        .contains(
            "[shell] staged d.csv from http://***@127.0.0.1:"
                + server.getAddress().getPort()
                + "/data.csv?***")
        .noneMatch(line -> line.contains("s3cr3t") || line.contains("pw@"));
  }

  private static String failure(TaskOutcome outcome) {
    assertThat(outcome).isInstanceOf(Failure.class);
    return ((Failure) outcome).message();
  }

  private static TaskOutcome stage(String target, String source, ShellRuntime runtime) {
    ShellTaskType type = new ShellTaskType();
    type.attach(runtime);
    return type.execute(
        TestTaskContext.of(
            Map.of("command", "test -s " + target, "resources", Map.of(target, source)),
            new ShellTaskType().options()));
  }

  @Test
  void relativeSourcesCannotLeaveTheResourceDirectoryThroughSymbolicLinks() throws Exception {
    Path library = Files.createDirectories(tmp.resolve("library"));
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("secret.txt"), "outside");
    Files.writeString(library.resolve("lib.sql"), "select 1;\n");
    Files.createSymbolicLink(library.resolve("file-link"), outside.resolve("secret.txt"));
    Files.createSymbolicLink(library.resolve("dir-link"), outside);
    Files.createSymbolicLink(library.resolve("inner-link"), library.resolve("lib.sql"));
    ShellRuntime runtime = new ShellRuntime(ProcessTracker.NONE, Optional.of(library));

    assertThat(failure(stage("s", "file-link", runtime)))
        .endsWith("the source 'file-link' leaves shell.resourceDirectory through a symbolic link");
    assertThat(failure(stage("s", "dir-link/secret.txt", runtime)))
        .endsWith(
            "the source 'dir-link/secret.txt' leaves shell.resourceDirectory through a symbolic"
                + " link");
    assertThat(failure(stage("s", "dir-link", runtime)))
        .endsWith("the source 'dir-link' leaves shell.resourceDirectory through a symbolic link");
    assertThat(stage("s", "inner-link", runtime)).isInstanceOf(Success.class);
  }

  @Test
  void targetsInAConfiguredWorkingDirectoryNeverFollowItsSymbolicLinks() throws Exception {
    Path work = Files.createDirectories(tmp.resolve("work"));
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Path victim = Files.writeString(outside.resolve("victim.txt"), "keep");
    Files.createSymbolicLink(work.resolve("sub"), outside);
    Files.createSymbolicLink(work.resolve("file.txt"), victim);
    Path conf = Files.createDirectories(tmp.resolve("conf/nested"));
    Files.writeString(conf.resolve("app.properties"), "k=v\n");
    Files.createDirectories(work.resolve("conf"));
    Files.createSymbolicLink(work.resolve("conf/nested"), outside);
    Path source = Files.writeString(tmp.resolve("payload.txt"), "payload");
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("sub/victim.txt", source.toString());
    cases.put("sub/new/x.txt", source.toString());
    cases.put("file.txt", source.toString());
    cases.put("conf", tmp.resolve("conf").toString());

    for (Map.Entry<String, String> c : cases.entrySet()) {
      TestTaskContext context =
          TestTaskContext.of(
              Map.of(
                  "command",
                  "true",
                  "workingDirectory",
                  work.toString(),
                  "resources",
                  Map.of(c.getKey(), c.getValue())),
              new ShellTaskType().options());

      assertThat(failure(new ShellTaskType().execute(context)))
          .as(c.getKey())
          .startsWith("could not start the process: could not stage resource '" + c.getKey())
          .contains("is a symbolic link in the working directory");
    }
    assertThat(Files.readString(victim)).isEqualTo("keep");
    try (var files = Files.list(outside)) {
      assertThat(files).containsExactly(victim);
    }
  }

  @Test
  void downloadsAreCappedBySize() throws Exception {
    ShellRuntime runtime = new ShellRuntime(ProcessTracker.NONE, Optional.empty(), Set.of(), 1000);
    String tooLarge =
        "the download is larger than 1000 bytes, the most the plugin setting"
            + " shell.maxDownloadSize allows";

    assertThat(failure(stage("big", base + "/big", runtime))).endsWith(tooLarge);
    assertThat(failure(stage("big", base + "/big-chunked", runtime))).endsWith(tooLarge);
    assertThat(stage("exact", base + "/exact", runtime)).isInstanceOf(Success.class);
  }

  @Test
  void aDownloadReplacesALongerFileLeftInAConfiguredWorkingDirectory() throws Exception {
    Path work = Files.createDirectories(tmp.resolve("work"));
    Files.writeString(work.resolve("d.csv"), "x".repeat(100));
    TestTaskContext context =
        TestTaskContext.of(
            Map.of(
                "command",
                "true",
                "workingDirectory",
                work.toString(),
                "resources",
                Map.of("d.csv", base + "/data.csv")),
            new ShellTaskType().options());

    assertThat(new ShellTaskType().execute(context)).isInstanceOf(Success.class);
    assertThat(Files.readString(work.resolve("d.csv"))).isEqualTo("a,b\n1,2\n");
  }

  @Test
  void redirectsKeepTheSchemeAndAreFewAndBounded() throws Exception {
    ShellRuntime runtime = new ShellRuntime(ProcessTracker.NONE, Optional.empty());

    assertThat(stage("d.csv", base + "/redirect-same", runtime)).isInstanceOf(Success.class);
    assertThat(failure(stage("d.csv", base + "/redirect-https", runtime)))
        .endsWith("a redirect leads from http to https; redirects must keep the scheme");
    assertThat(failure(stage("d.csv", base + "/loop", runtime)))
        .endsWith("more than " + ResourceDownload.MAX_REDIRECTS + " redirects");
  }
}
