package io.flinkplatform.engine.internal.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.engine.NotFoundException;
import io.flinkplatform.engine.access.Action;
import io.flinkplatform.engine.access.AuditQuery;
import io.flinkplatform.engine.access.IssuedToken;
import io.flinkplatform.engine.access.Users;
import io.flinkplatform.spi.AccessDeniedException;
import io.flinkplatform.spi.Actor;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * What is not in one workspace: creating workspaces and granting them worker labels, the platform
 * audit trail, the instances, the built-in users (platform administrators) and the caller's own API
 * tokens. Each calls {@code PlatformAdmin} or {@code Users} of the caller, which check it.
 */
final class PlatformRoutes {
  /** A token's validity when the caller gives none. */
  static final int DEFAULT_TOKEN_DAYS = 90;

  private PlatformRoutes() {}

  static void register(Routes routes) {
    routes
        .post("/workspaces")
        .needs(Action.WORKSPACE_CREATE)
        .tag("workspaces")
        .summary("Create a workspace, with no members, grants or caps")
        .body("{\"name\": workspace name, \"description\": string}")
        .handle(
            c ->
                new Route.Reply(
                    201,
                    c.backend()
                        .admin(c.actor())
                        .createWorkspace(
                            c.text("name", true).get(), c.text("description", false).orElse(""))));
    routes
        .post("/workspaces/{ws}/labels")
        .needs(Action.LABEL_GRANT)
        .tag("workspaces")
        .summary("Let the workspace's tasks run on instances with a label (* for any)")
        .body("{\"label\": a label or *}")
        .handle(
            c -> {
              c.backend().admin(c.actor()).grantLabel(c.path("ws"), c.text("label", true).get());
              return null;
            });
    routes
        .delete("/workspaces/{ws}/labels/{label}")
        .needs(Action.LABEL_REVOKE)
        .tag("workspaces")
        .summary("Take a worker label back from the workspace")
        .handle(
            c -> {
              if (!c.backend().admin(c.actor()).revokeLabel(c.path("ws"), c.path("label"))) {
                throw new NotFoundException("no label " + c.path("label") + " granted");
              }
              return null;
            });
    routes
        .get("/audit")
        .needs(Action.AUDIT_READ_ALL)
        .tag("admin")
        .summary("A page of the audit trail of every workspace and the platform, newest first")
        .query("workspace", "only rows of this workspace")
        .query("actor", "only rows of this actor")
        .query("action", "only rows of this action id, e.g. user.change")
        .query("from", "only rows at or after this ISO-8601 instant")
        .query("to", "only rows before this ISO-8601 instant")
        .query("before", "the cursor: the 'next' of the previous page")
        .query("limit", "at most this many rows, 1 to " + AuditQuery.MAX_LIMIT + " (default 100)")
        .handle(
            c -> {
              AuditQuery q = AdminRoutes.auditQuery(c);
              return AdminRoutes.auditPage(
                  c.backend().admin(c.actor()).audit(c.query("workspace"), q), q.limit());
            });
    routes
        .get("/instances")
        .tag("overview")
        .summary("The platform's instances, for a member of any workspace")
        .handle(
            c -> {
              Optional<String> ws =
                  c.backend().workspacesOf(c.actor()).keySet().stream().sorted().findFirst();
              if (ws.isEmpty()) {
                throw new AccessDeniedException(
                    c.actor().name(),
                    "",
                    Action.READ.id(),
                    Optional.empty(),
                    "a role in some workspace is needed");
              }
              return c.backend().client(c.actor(), ws.get()).instances();
            });
    users(routes);
    tokens(routes);
  }

  private static void users(Routes routes) {
    routes
        .get("/users")
        .needs(Action.USER_CHANGE)
        .tag("users")
        .summary("Every user of the built-in store (platform administrators)")
        .handle(c -> c.backend().users(c.actor()).users());
    routes
        .post("/users")
        .needs(Action.USER_CHANGE)
        .tag("users")
        .summary("Create a user, with a password or (without one) for tokens only")
        .body(
            "{\"name\": user name, \"displayName\": string, \"password\": "
                + Users.MIN_PASSWORD
                + " to "
                + Users.MAX_PASSWORD
                + " characters (optional)}")
        .handle(
            c -> {
              Users users = c.backend().users(c.actor());
              String name = c.text("name", true).get();
              String display = c.text("displayName", false).orElse(name);
              Optional<String> password = c.text("password", false);
              return new Route.Reply(
                  201,
                  password.isPresent()
                      ? users.createUser(name, display, password.get().toCharArray())
                      : users.createUser(name, display));
            });
    routes
        .put("/users/{name}/disabled")
        .needs(Action.USER_CHANGE)
        .tag("users")
        .summary("Disable a user (no login, tokens refused, no role) or enable it again")
        .body("{\"disabled\": boolean}")
        .handle(
            c -> {
              c.backend()
                  .users(c.actor())
                  .setDisabled(c.path("name"), Fields.bool(c.body(), "disabled"));
              return null;
            });
    routes
        .put("/users/{name}/admin")
        .needs(Action.USER_CHANGE)
        .tag("users")
        .summary("Make a user a platform administrator, or no longer one")
        .body("{\"platformAdmin\": boolean}")
        .handle(
            c -> {
              c.backend()
                  .users(c.actor())
                  .setPlatformAdmin(c.path("name"), Fields.bool(c.body(), "platformAdmin"));
              return null;
            });
    routes
        .put("/users/{name}/password")
        .tag("users")
        .summary(
            "Set a user's password: the user itself (with its current password) or a platform"
                + " administrator; ends the user's tokens and console sessions")
        .body(
            "{\"password\": "
                + Users.MIN_PASSWORD
                + " to "
                + Users.MAX_PASSWORD
                + " characters, \"currentPassword\": required when setting one's own}")
        .handle(
            c -> {
              String name = c.path("name");
              if (name.equals(c.actor().name())) {
                // one's own password only with the current one: a stolen session or token must
                // not become the account
                char[] current = c.text("currentPassword", true).get().toCharArray();
                if (c.backend().authenticator().password(name, current).isEmpty()) {
                  throw new InvalidRequestException(
                      "currentPassword", "the current password is not right");
                }
              }
              char[] password = c.text("password", true).get().toCharArray();
              try {
                c.backend().users(c.actor()).setPassword(name, password);
              } finally {
                Arrays.fill(password, '\0');
              }
              return null;
            });
  }

  private static void tokens(Routes routes) {
    routes
        .get("/me/tokens")
        .tag("users")
        .summary("The caller's API tokens, revoked and expired ones too; never their secrets")
        .handle(c -> c.backend().users(c.actor()).tokens(c.actor().name()));
    routes
        .post("/me/tokens")
        .tag("users")
        .summary("Create an API token of the caller: the secret is in this answer only, once")
        .body(
            "{\"name\": what it is for, \"validityDays\": 1 to "
                + Users.MAX_TOKEN_VALIDITY.toDays()
                + " (default "
                + DEFAULT_TOKEN_DAYS
                + ")}")
        .handle(
            c -> {
              JsonNode b = c.body();
              int days =
                  Fields.integer(
                          b, "validityDays", 1, (int) Users.MAX_TOKEN_VALIDITY.toDays(), false)
                      .orElse(DEFAULT_TOKEN_DAYS);
              IssuedToken t =
                  c.backend()
                      .users(c.actor())
                      .createToken(
                          c.actor().name(), c.text("name", true).get(), Duration.ofDays(days));
              return new Route.Reply(201, Map.of("token", t.token(), "info", t.info()));
            });
    routes
        .delete("/me/tokens/{tokenId}")
        .tag("users")
        .summary("Revoke one of the caller's tokens, at once on every instance")
        .handle(
            c -> {
              long id = c.id("tokenId");
              Actor me = c.actor();
              Users users = c.backend().users(me);
              if (users.tokens(me.name()).stream().noneMatch(t -> t.id() == id)) {
                throw new NotFoundException("no token " + id + " of " + me.name());
              }
              users.revokeToken(id);
              return null;
            });
  }
}
