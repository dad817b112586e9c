package io.flinkplatform.engine.internal.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.engine.access.Action;
import io.flinkplatform.engine.console.ConsoleSettings;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.dag.WorkflowJson;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The REST API over {@link io.flinkplatform.engine.PlatformClient}: one route per client operation,
 * under {@code /workspaces/{ws}/...}, each calling the client of the logged-in actor in that
 * workspace (which checks the role and writes the audit trail). The route's {@code needs} repeats
 * the client's {@link Action} for the OpenAPI document and the pages' buttons. The routes live in
 * one class per area ({@link WorkflowRoutes}, {@link RunRoutes}, {@link LogRoutes}, {@link
 * ScheduleRoutes}, {@link AdminRoutes}, {@link PlatformRoutes}, {@link ResourceRoutes}, {@link
 * AlertRoutes}), registered here.
 */
final class ApiRoutes {
  private ApiRoutes() {}

  static void register(Routes routes, ConsoleSettings settings) {
    routes
        .get("/workspaces")
        .tag("workspaces")
        .summary("The workspaces the caller has a role in, with that role")
        .handle(c -> SessionRoutes.me(c.backend(), c.actor(), Optional.empty()).workspaces());
    WorkflowRoutes.register(routes);
    RunRoutes.register(routes);
    LogRoutes.register(routes);
    ScheduleRoutes.register(routes);
    AdminRoutes.register(routes);
    PlatformRoutes.register(routes);
    ResourceRoutes.register(routes, settings);
    PictureRoutes.register(routes);
    new HealthRoutes().register(routes); // metrics and health (helper D)
    // alerts (issue 16, console part)
    AlertRoutes.register(routes);
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
