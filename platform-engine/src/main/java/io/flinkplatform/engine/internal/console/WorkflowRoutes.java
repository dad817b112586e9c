package io.flinkplatform.engine.internal.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.engine.NotFoundException;
import io.flinkplatform.engine.access.Action;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.TriggerRequest;
import java.util.Map;
import java.util.Optional;

/** Workflows: the list, versions and their diff, deploying, validating and triggering. */
final class WorkflowRoutes {
  static final String TRIGGER_BODY =
      "{\"parameters\": {name: string}, \"logicalDate\": ISO-8601 instant (default now),"
          + " \"version\": number >= 1 (default the latest)}";

  private WorkflowRoutes() {}

  static void register(Routes routes) {
    routes
        .get("/workspaces/{ws}/workflows")
        .needs(Action.READ)
        .tag("workflows")
        .summary(
            "Every workflow of the workspace: latest version, task count, deployer, schedules"
                + " and latest run")
        .handle(c -> c.client().workflows());
    routes
        .get("/workspaces/{ws}/workflows/{name}")
        .needs(Action.READ)
        .tag("workflows")
        .summary("A workflow's latest version, or the one asked for, with its JSON definition")
        .query("version", "a version number >= 1 (default the latest)")
        .handle(
            c -> {
              String name = c.path("name");
              Optional<Integer> v =
                  c.query("version").isPresent()
                      ? Optional.of(c.intQuery("version", 0, 1, Integer.MAX_VALUE))
                      : Optional.empty();
              return (v.isPresent()
                      ? c.client().workflow(name, v.get())
                      : c.client().workflow(name))
                  .map(ApiRoutes::deployed)
                  .orElseThrow(
                      () ->
                          new NotFoundException(
                              "no workflow " + name + v.map(n -> " version " + n).orElse("")));
            });
    routes
        .get("/workspaces/{ws}/workflows/{name}/versions")
        .needs(Action.READ)
        .tag("workflows")
        .summary("Every version of a workflow, newest first, without definitions")
        .handle(
            c -> {
              var versions = c.client().versions(c.path("name"));
              if (versions.isEmpty()) {
                throw new NotFoundException("no workflow " + c.path("name"));
              }
              return versions;
            });
    routes
        .get("/workspaces/{ws}/workflows/{name}/diff")
        .needs(Action.READ)
        .tag("workflows")
        .summary("What changed between two versions: tasks, option keys, edges, workflow fields")
        .query("from", "the older version number (required)")
        .query("to", "the newer version number (required)")
        .handle(
            c -> {
              for (String q : new String[] {"from", "to"}) {
                if (c.query(q).isEmpty()) {
                  throw new InvalidRequestException(q, q + " is required (a version number)");
                }
              }
              return c.client()
                  .diff(
                      c.path("name"),
                      c.intQuery("from", 0, 1, Integer.MAX_VALUE),
                      c.intQuery("to", 0, 1, Integer.MAX_VALUE));
            });
    routes
        .post("/workspaces/{ws}/workflows")
        .needs(Action.DEPLOY)
        .tag("workflows")
        .summary("Deploy a workflow from its JSON definition (a new version if it changed)")
        .body("the workflow's JSON definition (docs: WorkflowJson)")
        .handle(
            c -> {
              Workflow w = ApiRoutes.readWorkflow(c.body());
              return new Route.Reply(201, ApiRoutes.deployed(c.client().deploy(w)));
            });
    routes
        .post("/workspaces/{ws}/workflows/validate")
        .needs(Action.VALIDATE)
        .tag("workflows")
        .summary("Check a workflow's JSON definition without deploying it: the problems found")
        .body("the workflow's JSON definition")
        .handle(c -> Map.of("problems", c.client().validate(ApiRoutes.readWorkflow(c.body()))));
    routes
        .post("/workspaces/{ws}/workflows/{name}/trigger")
        .needs(Action.TRIGGER)
        .tag("runs")
        .summary("Start a run of the workflow; answers its runId")
        .body(TRIGGER_BODY)
        .handle(
            c ->
                new Route.Reply(
                    201, Map.of("runId", c.client().trigger(trigger(c.path("name"), c.body())))));
  }

  /** A trigger request for {@code workflow} from a body of {@link #TRIGGER_BODY}'s shape. */
  static TriggerRequest trigger(String workflow, JsonNode b) {
    TriggerRequest r = TriggerRequest.of(workflow);
    if (b.hasNonNull("parameters")) {
      r = r.withParameters(Fields.strings(b, "parameters"));
    }
    Optional<java.time.Instant> date = Fields.instant(b, "logicalDate", false);
    if (date.isPresent()) {
      r = r.withLogicalDate(date.get());
    }
    Optional<Integer> version = Fields.integer(b, "version", 1, Integer.MAX_VALUE, false);
    if (version.isPresent()) {
      r = r.withVersion(version.get());
    }
    return r;
  }
}
