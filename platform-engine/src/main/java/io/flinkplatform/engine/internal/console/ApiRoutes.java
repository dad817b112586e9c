package io.flinkplatform.engine.internal.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.engine.NotFoundException;
import io.flinkplatform.engine.access.Action;
import io.flinkplatform.engine.console.ConsoleSettings;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.dag.WorkflowJson;
import io.flinkplatform.engine.run.TriggerRequest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The REST API over {@link io.flinkplatform.engine.PlatformClient}: one route per client operation,
 * under {@code /workspaces/{ws}/...}, each calling the client of the logged-in actor in that
 * workspace (which checks the role and writes the audit trail). The route's {@code needs} repeats
 * the client's {@link Action} for the OpenAPI document and the pages' buttons.
 */
final class ApiRoutes {
  private ApiRoutes() {}

  static void register(Routes routes, ConsoleSettings settings) {
    routes
        .get("/workspaces")
        .tag("workspaces")
        .summary("The workspaces the caller has a role in, with that role")
        .handle(c -> SessionRoutes.me(c.backend(), c.actor(), Optional.empty()).workspaces());
    workflows(routes);
    runs(routes);
    PictureRoutes.register(routes);
  }

  private static void workflows(Routes routes) {
    routes
        .get("/workspaces/{ws}/workflows/{name}")
        .needs(Action.READ)
        .tag("workflows")
        .summary("A workflow's latest version, or the one asked for")
        .query("version", "a version number (default the latest)")
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
                  .orElseThrow(() -> new NotFoundException("no workflow " + name));
            });
    routes
        .post("/workspaces/{ws}/workflows")
        .needs(Action.DEPLOY)
        .tag("workflows")
        .summary("Deploy a workflow from its JSON definition (a new version if it changed)")
        .body("the workflow's JSON definition (docs: WorkflowJson)")
        .handle(
            c -> {
              Workflow w = readWorkflow(c.body());
              return new Route.Reply(201, deployed(c.client().deploy(w)));
            });
    routes
        .post("/workspaces/{ws}/workflows/validate")
        .needs(Action.VALIDATE)
        .tag("workflows")
        .summary("Check a workflow's JSON definition without deploying it: the problems found")
        .body("the workflow's JSON definition")
        .handle(c -> Map.of("problems", c.client().validate(readWorkflow(c.body()))));
    routes
        .post("/workspaces/{ws}/workflows/{name}/trigger")
        .needs(Action.TRIGGER)
        .tag("runs")
        .summary("Start a run of the workflow")
        .body("{\"parameters\": {name: value}, \"logicalDate\": ISO instant, \"version\": n}")
        .handle(
            c -> {
              JsonNode b = c.body();
              TriggerRequest r = TriggerRequest.of(c.path("name"));
              if (b.hasNonNull("parameters")) {
                Map<String, String> params = new LinkedHashMap<>();
                if (!b.get("parameters").isObject()) {
                  throw new InvalidRequestException(
                      "parameters", "parameters must be an object of names to strings");
                }
                b.get("parameters")
                    .fields()
                    .forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
                r = r.withParameters(params);
              }
              if (b.hasNonNull("logicalDate")) {
                try {
                  r = r.withLogicalDate(Instant.parse(b.get("logicalDate").asText()));
                } catch (DateTimeParseException e) {
                  throw new InvalidRequestException(
                      "logicalDate",
                      "logicalDate must be an ISO-8601 instant such as 2026-01-31T00:00:00Z");
                }
              }
              if (b.hasNonNull("version")) {
                if (!b.get("version").canConvertToInt() || b.get("version").asInt() < 1) {
                  throw new InvalidRequestException("version", "version must be a number >= 1");
                }
                r = r.withVersion(b.get("version").asInt());
              }
              return new Route.Reply(201, Map.of("runId", c.client().trigger(r)));
            });
  }

  private static void runs(Routes routes) {
    routes
        .get("/workspaces/{ws}/runs/{runId}")
        .needs(Action.READ)
        .tag("runs")
        .summary("A run")
        .handle(
            c ->
                c.client()
                    .run(c.id("runId"))
                    .orElseThrow(() -> new NotFoundException("no run " + c.path("runId"))));
    routes
        .get("/workspaces/{ws}/runs/{runId}/attempts")
        .needs(Action.READ)
        .tag("runs")
        .summary("A run's task attempts")
        .handle(c -> c.client().attempts(c.id("runId")));
    routes
        .post("/workspaces/{ws}/runs/{runId}/kill")
        .needs(Action.KILL)
        .tag("runs")
        .summary("Kill a run: its running tasks are cancelled, the rest never start")
        .handle(c -> Map.of("killed", c.client().kill(c.id("runId"))));
  }

  /** A workflow definition from its JSON; errors name the field {@code body}. */
  static Workflow readWorkflow(JsonNode body) {
    try {
      return WorkflowJson.read(body.toString());
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("body", e.getMessage());
    }
  }

  /** A deployed version as JSON: the definition in its own JSON form. */
  static Map<String, Object> deployed(io.flinkplatform.engine.run.DeployedWorkflow d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", d.id());
    m.put("name", d.workflow().name());
    m.put("version", d.version());
    m.put("createdAt", d.createdAt());
    m.put("definition", ConsoleJson.MAPPER.valueToTree(readTree(WorkflowJson.write(d.workflow()))));
    return m;
  }

  private static JsonNode readTree(String json) {
    try {
      return ConsoleJson.MAPPER.readTree(json);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
