package io.flinkplatform.engine.internal.console;

import io.flinkplatform.engine.NotFoundException;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.access.Action;
import io.flinkplatform.engine.run.DeployedWorkflow;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.run.WorkflowRun;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The DAG pictures ({@link DagPicture}) as SVG files: a workflow's version, and a run's version
 * coloured by the latest attempt of each task.
 */
final class PictureRoutes {
  static final String SVG = "image/svg+xml";

  private PictureRoutes() {}

  static void register(Routes routes) {
    routes
        .get("/workspaces/{ws}/workflows/{name}/picture.svg")
        .needs(Action.READ)
        .tag("workflows")
        .summary(
            "A workflow's DAG drawn as an SVG picture (its latest version or the one asked for)")
        .query("version", "a version number (default the latest)")
        .handle(
            c -> {
              String name = c.path("name");
              Optional<DeployedWorkflow> d =
                  c.query("version").isPresent()
                      ? c.client().workflow(name, c.intQuery("version", 0, 1, Integer.MAX_VALUE))
                      : c.client().workflow(name);
              DeployedWorkflow w =
                  d.orElseThrow(() -> new NotFoundException("no workflow " + name));
              return svg(w.workflow().name() + "-v" + w.version(), DagPicture.svg(w.workflow()));
            });
    routes
        .get("/workspaces/{ws}/runs/{runId}/picture.svg")
        .needs(Action.READ)
        .tag("runs")
        .summary("A run's DAG drawn as an SVG picture, each task coloured by its latest state")
        .handle(c -> svg("run-" + c.id("runId"), runPicture(c.client(), c.id("runId"))));
  }

  private static Route.Download svg(String name, String svg) {
    return new Route.Download(SVG, name + ".svg", svg.getBytes(StandardCharsets.UTF_8));
  }

  /** The run's picture: its workflow version with each task's latest attempt's state. */
  static String runPicture(PlatformClient client, long runId) {
    WorkflowRun run = client.run(runId).orElseThrow(() -> new NotFoundException("no run " + runId));
    DeployedWorkflow w =
        client
            .workflow(run.workflowName(), run.workflowVersion())
            .orElseThrow(
                () ->
                    new NotFoundException(
                        "no version " + run.workflowVersion() + " of " + run.workflowName()));
    return DagPicture.svg(w.workflow(), latestStates(client.attempts(runId)));
  }

  /** Each task's state in its latest attempt. */
  static Map<String, TaskState> latestStates(List<TaskAttempt> attempts) {
    Map<String, TaskState> states = new LinkedHashMap<>();
    attempts.stream()
        .sorted(Comparator.comparingInt(TaskAttempt::attempt).thenComparingLong(TaskAttempt::id))
        .forEach(a -> states.put(a.taskId(), a.state()));
    return states;
  }
}
