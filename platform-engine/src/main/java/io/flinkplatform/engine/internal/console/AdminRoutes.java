package io.flinkplatform.engine.internal.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.engine.NotFoundException;
import io.flinkplatform.engine.access.Action;
import io.flinkplatform.engine.access.AuditEntry;
import io.flinkplatform.engine.access.AuditQuery;
import io.flinkplatform.engine.access.WorkspaceCaps;
import io.flinkplatform.engine.run.Limit;
import io.flinkplatform.spi.Role;
import java.util.List;

/**
 * A workspace's administration: limits and pools, members, grants, caps and its audit trail; and
 * its overview and the instances, which any member reads.
 */
final class AdminRoutes {
  /** The page size of the audit trail when the caller gives none. */
  static final int DEFAULT_AUDIT_LIMIT = 100;

  /** A page of the audit trail and the cursor of the next page ({@code before=next}). */
  record AuditPage(List<AuditEntry> entries, Long next) {}

  private AdminRoutes() {}

  static void register(Routes routes) {
    routes
        .get("/workspaces/{ws}/overview")
        .needs(Action.READ)
        .tag("overview")
        .summary("The workspace at a glance: runs per hour by state, running, failures, queue, lag")
        .handle(c -> c.client().overview());
    routes
        .get("/workspaces/{ws}/instances")
        .needs(Action.READ)
        .tag("overview")
        .summary("The platform's instances, live and recently stopped or lost")
        .handle(c -> c.client().instances());
    limits(routes);
    members(routes);
    routes
        .get("/workspaces/{ws}/caps")
        .needs(Action.READ)
        .tag("admin")
        .summary("The workspace's caps")
        .handle(c -> c.client().caps());
    routes
        .put("/workspaces/{ws}/caps")
        .needs(Action.CAPS_SET)
        .tag("admin")
        .summary("Replace the workspace's caps (a missing field is no cap)")
        .body(
            "{\"minPriority\", \"maxPriority\", \"maxTasksPerWorkflow\", \"maxActiveRuns\","
                + " \"maxBackfillRuns\": numbers, \"minCronInterval\": ISO-8601 duration}")
        .handle(
            c -> {
              c.client().setCaps(caps(c.body()));
              return c.client().caps();
            });
    routes
        .get("/workspaces/{ws}/audit")
        .needs(Action.AUDIT_READ)
        .tag("admin")
        .summary("A page of the workspace's audit trail, newest first, and the next page's cursor")
        .query("actor", "only rows of this actor")
        .query("action", "only rows of this action id, e.g. run.trigger")
        .query("from", "only rows at or after this ISO-8601 instant")
        .query("to", "only rows before this ISO-8601 instant")
        .query("before", "the cursor: the 'next' of the previous page")
        .query("limit", "at most this many rows, 1 to " + AuditQuery.MAX_LIMIT + " (default 100)")
        .handle(
            c -> {
              AuditQuery q = auditQuery(c);
              return auditPage(c.client().audit(q), q.limit());
            });
  }

  private static void limits(Routes routes) {
    routes
        .get("/workspaces/{ws}/limits")
        .needs(Action.READ)
        .tag("admin")
        .summary("Every limit with its current use")
        .handle(c -> c.client().limits());
    routes
        .put("/workspaces/{ws}/pools/{name}")
        .needs(Action.LIMIT_SET)
        .tag("admin")
        .summary("Set the slot count of a pool for all instances")
        .body("{\"slots\": number >= 1}")
        .handle(
            c -> {
              c.client().setPool(c.path("name"), slots(c.body()));
              return null;
            });
    routes
        .put("/workspaces/{ws}/limits/{kind}/{name}")
        .needs(Action.LIMIT_SET)
        .tag("admin")
        .summary("Set a POOL's slots, or a TASK_TYPE's (platform administrators only)")
        .body("{\"slots\": number >= 1}")
        .handle(
            c -> {
              Limit.Kind kind = Fields.constant("kind", c.path("kind"), Limit.Kind.class);
              int slots = slots(c.body());
              switch (kind) {
                case POOL -> c.client().setPool(c.path("name"), slots);
                case TASK_TYPE -> c.client().setTaskTypeLimit(c.path("name"), slots);
                default ->
                    throw new InvalidRequestException(
                        "kind",
                        "kind must be one of POOL, TASK_TYPE: a workflow's limits are set by"
                            + " deploying it, not "
                            + kind);
              }
              return null;
            });
    routes
        .delete("/workspaces/{ws}/limits/{kind}/{name}")
        .needs(Action.LIMIT_REMOVE)
        .tag("admin")
        .summary("Remove a limit (a workflow's until its next deploy)")
        .handle(
            c -> {
              Limit.Kind kind = Fields.constant("kind", c.path("kind"), Limit.Kind.class);
              if (!c.client().removeLimit(kind, c.path("name"))) {
                throw new NotFoundException("no " + kind + " limit " + c.path("name"));
              }
              return null;
            });
  }

  private static void members(Routes routes) {
    routes
        .get("/workspaces/{ws}/members")
        .needs(Action.MEMBERS_READ)
        .tag("admin")
        .summary("The workspace's members with their roles")
        .handle(c -> c.client().members());
    routes
        .put("/workspaces/{ws}/members/{principal}")
        .needs(Action.MEMBER_SET)
        .tag("admin")
        .summary("Give a user a role in the workspace, replacing its role")
        .body("{\"role\": one of " + Fields.choices(Role.class) + "}")
        .handle(
            c -> {
              Role role = Fields.constant(c.body(), "role", Role.class, true).get();
              c.client().setMember(c.path("principal"), role);
              return null;
            });
    routes
        .delete("/workspaces/{ws}/members/{principal}")
        .needs(Action.MEMBER_REMOVE)
        .tag("admin")
        .summary("Take a member's role away")
        .handle(
            c -> {
              if (!c.client().removeMember(c.path("principal"))) {
                throw new NotFoundException("no member " + c.path("principal"));
              }
              return null;
            });
    routes
        .get("/workspaces/{ws}/grants")
        .needs(Action.READ)
        .tag("admin")
        .summary("The grants this workspace gave and those it received")
        .handle(c -> c.client().grants());
    String grantBody =
        "{\"to\": workspace, \"kind\": datasource, workflow, pool, catalog, resource or a"
            + " plugin's kind, \"name\": a name or *}";
    routes
        .post("/workspaces/{ws}/grants")
        .needs(Action.GRANT)
        .tag("admin")
        .summary("Let another workspace use one thing of this one")
        .body(grantBody)
        .handle(
            c -> {
              JsonNode b = c.body();
              c.client()
                  .grant(
                      Fields.text(b, "to", true).get(),
                      Fields.text(b, "kind", true).get(),
                      Fields.text(b, "name", true).get());
              return new Route.Reply(201, java.util.Map.of("granted", true));
            });
    routes
        .post("/workspaces/{ws}/grants/revoke")
        .needs(Action.REVOKE)
        .tag("admin")
        .summary("Take a grant back")
        .body(grantBody)
        .handle(
            c -> {
              JsonNode b = c.body();
              boolean revoked =
                  c.client()
                      .revoke(
                          Fields.text(b, "to", true).get(),
                          Fields.text(b, "kind", true).get(),
                          Fields.text(b, "name", true).get());
              if (!revoked) {
                throw new NotFoundException("no such grant");
              }
              return null;
            });
  }

  private static int slots(JsonNode body) {
    return Fields.integer(body, "slots", 1, 1_000_000, true).get();
  }

  static WorkspaceCaps caps(JsonNode b) {
    return new WorkspaceCaps(
        Fields.integer(b, "minPriority", Integer.MIN_VALUE, Integer.MAX_VALUE, false),
        Fields.integer(b, "maxPriority", Integer.MIN_VALUE, Integer.MAX_VALUE, false),
        Fields.integer(b, "maxTasksPerWorkflow", 1, Integer.MAX_VALUE, false),
        Fields.duration(b, "minCronInterval", false),
        Fields.integer(b, "maxActiveRuns", 1, Integer.MAX_VALUE, false),
        Fields.integer(b, "maxBackfillRuns", 1, Integer.MAX_VALUE, false));
  }

  /** The audit query of the request's query parameters. */
  static AuditQuery auditQuery(Call c) {
    return new AuditQuery(
        c.query("actor"),
        c.query("action"),
        Fields.instantQuery(c, "from"),
        Fields.instantQuery(c, "to"),
        Fields.idQuery(c, "before"),
        c.intQuery("limit", DEFAULT_AUDIT_LIMIT, 1, AuditQuery.MAX_LIMIT));
  }

  /** A page, with a cursor when it is full (a next page may have rows). */
  static AuditPage auditPage(List<AuditEntry> rows, int limit) {
    Long next = rows.size() < limit ? null : rows.get(rows.size() - 1).id();
    return new AuditPage(rows, next);
  }
}
