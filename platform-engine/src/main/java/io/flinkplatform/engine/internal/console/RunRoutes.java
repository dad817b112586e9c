package io.flinkplatform.engine.internal.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.engine.NotFoundException;
import io.flinkplatform.engine.access.Action;
import io.flinkplatform.engine.run.RerunMode;
import io.flinkplatform.engine.run.RerunRequest;
import io.flinkplatform.engine.run.RunPage;
import io.flinkplatform.engine.run.RunQuery;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.run.TriggerRequest;
import io.flinkplatform.engine.run.WorkflowRun;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Runs: the filtered, paged list, one run, its attempts and reasons, kill, rerun and marks. */
final class RunRoutes {
  /** The page size when the caller gives none. */
  static final int DEFAULT_LIMIT = 50;

  /** A page of runs and the cursor of the next page ({@code before=next}); null on the last. */
  record Page(List<WorkflowRun> runs, Long next) {}

  private RunRoutes() {}

  static void register(Routes routes) {
    routes
        .get("/workspaces/{ws}/runs")
        .needs(Action.READ)
        .tag("runs")
        .summary("A page of the workspace's runs, newest first, and the cursor of the next page")
        .query("workflow", "only runs of this workflow")
        .query("state", "only runs in these states, comma-separated: " + choices(RunState.class))
        .query("from", "only runs whose logical date is at or after this ISO-8601 instant")
        .query("to", "only runs whose logical date is before this ISO-8601 instant")
        .query("actor", "only runs started by this actor (a user, system, schedule:NAME)")
        .query("before", "the cursor: the 'next' of the previous page (runs with a lower id)")
        .query("limit", "at most this many runs, 1 to " + RunQuery.MAX_LIMIT + " (default 50)")
        .handle(RunRoutes::list);
    routes
        .post("/workspaces/{ws}/runs")
        .needs(Action.TRIGGER)
        .tag("runs")
        .summary("Start many runs in one transaction: all of them or none; answers their runIds")
        .body("{\"runs\": [{\"workflow\": name, ...the trigger body}]} (at most 1000)")
        .handle(RunRoutes::triggerAll);
    routes
        .get("/workspaces/{ws}/runs/{runId}")
        .needs(Action.READ)
        .tag("runs")
        .summary("A run")
        .handle(c -> c.client().run(c.id("runId")).orElseThrow(() -> noRun(c)));
    routes
        .get("/workspaces/{ws}/runs/{runId}/attempts")
        .needs(Action.READ)
        .tag("runs")
        .summary("A run's task attempts, in the order they were created")
        .handle(c -> c.client().attempts(existing(c)));
    routes
        .get("/workspaces/{ws}/runs/{runId}/explain")
        .needs(Action.READ)
        .tag("runs")
        .summary("Why the run or its tasks have not started or ended yet")
        .handle(c -> c.client().explain(c.id("runId")));
    routes
        .get("/workspaces/{ws}/runs/{runId}/mermaid")
        .needs(Action.READ)
        .tag("runs")
        .summary("The run's DAG as a Mermaid flowchart with each task's latest state")
        .handle(c -> Map.of("mermaid", c.client().mermaid(existing(c))));
    routes
        .post("/workspaces/{ws}/runs/{runId}/kill")
        .needs(Action.KILL)
        .tag("runs")
        .summary("Kill a run: running tasks are cancelled, the rest never start; false if ended")
        .handle(
            c -> {
              boolean killed = c.client().kill(c.id("runId"));
              if (!killed) {
                existing(c); // 404 for a run that is not there, rather than "already ended"
              }
              return Map.of("killed", killed);
            });
    routes
        .post("/workspaces/{ws}/runs/{runId}/rerun")
        .needs(Action.RERUN)
        .tag("runs")
        .summary("Run tasks of a finished run again")
        .body(
            "{\"mode\": one of "
                + choices(RerunMode.class)
                + " (default FAILED_TASKS), \"task\": task id (for every mode but FAILED_TASKS)}")
        .handle(RunRoutes::rerun);
    routes
        .post("/workspaces/{ws}/runs/{runId}/tasks/{taskId}/mark")
        .needs(Action.MARK)
        .tag("runs")
        .summary("Mark a task SUCCESS or SKIPPED by hand; its downstream is decided again")
        .body("{\"state\": SUCCESS or SKIPPED}")
        .handle(
            c -> {
              TaskState state = Fields.constant(c.body(), "state", TaskState.class, true).get();
              if (state != TaskState.SUCCESS && state != TaskState.SKIPPED) {
                throw new InvalidRequestException(
                    "state", "state must be one of SUCCESS, SKIPPED, not " + state);
              }
              return c.client().markTask(c.id("runId"), c.path("taskId"), state);
            });
  }

  private static String choices(Class<? extends Enum<?>> type) {
    return Fields.choices(type);
  }

  private static NotFoundException noRun(Call c) {
    return new NotFoundException("no run " + c.path("runId"));
  }

  /** The path's run id, once the run is known to be one of the workspace's. */
  static long existing(Call c) {
    long id = c.id("runId");
    c.client().run(id).orElseThrow(() -> noRun(c));
    return id;
  }

  private static Page list(Call c) {
    Set<RunState> states = EnumSet.noneOf(RunState.class);
    for (String s : c.query("state").map(v -> v.split(",")).orElse(new String[0])) {
      if (!s.isBlank()) {
        states.add(Fields.constant("state", s, RunState.class));
      }
    }
    RunQuery q =
        new RunQuery(
            c.query("workflow"),
            states,
            Fields.instantQuery(c, "from"),
            Fields.instantQuery(c, "to"),
            c.query("actor"),
            Optional.empty(),
            Optional.empty(),
            Fields.idQuery(c, "before"),
            c.intQuery("limit", DEFAULT_LIMIT, 1, RunQuery.MAX_LIMIT));
    RunPage page = c.client().runs(q);
    return new Page(page.runs(), page.nextBeforeId().orElse(null));
  }

  private static Object triggerAll(Call c) throws Exception {
    JsonNode runs = c.body().get("runs");
    if (runs == null || !runs.isArray() || runs.isEmpty() || runs.size() > 1000) {
      throw new InvalidRequestException("runs", "runs must be an array of 1 to 1000 triggers");
    }
    List<TriggerRequest> requests = new ArrayList<>();
    for (JsonNode r : runs) {
      if (!r.isObject()) {
        throw new InvalidRequestException("runs", "each of runs must be an object");
      }
      requests.add(WorkflowRoutes.trigger(Fields.text(r, "workflow", true).get(), r));
    }
    return new Route.Reply(201, Map.of("runIds", c.client().triggerAll(requests)));
  }

  private static Object rerun(Call c) throws Exception {
    JsonNode b = c.body();
    RerunMode mode =
        Fields.constant(b, "mode", RerunMode.class, false).orElse(RerunMode.FAILED_TASKS);
    Optional<String> task = Fields.text(b, "task", mode.needsTask());
    if (!mode.needsTask() && task.isPresent()) {
      throw new InvalidRequestException("task", "task is not used by mode FAILED_TASKS");
    }
    return c.client().rerun(new RerunRequest(c.id("runId"), mode, task));
  }
}
