package io.flinkplatform.engine.internal.console;

import io.flinkplatform.engine.access.Authenticator;
import io.flinkplatform.engine.console.ConsoleSettings;
import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.Role;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logging in and out: {@code POST /session} checks the password (rate-limited per user name and
 * address), ends whatever session the browser brought and issues a new one (so a session id planted
 * before the login is worthless), {@code GET /session} says who is logged in with the CSRF token
 * and the workspaces, {@code DELETE /session} logs out.
 */
final class SessionRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(SessionRoutes.class);
  private final Sessions sessions;
  private final LoginLimiter limiter;
  private final Authenticator authenticator;
  private final ConsoleSettings settings;

  /** Who is logged in, the token for state-changing requests, and where they have a role. */
  record Me(
      String user, Optional<String> csrf, boolean platformAdmin, List<WorkspaceRole> workspaces) {}

  /** A workspace and the caller's role there. */
  record WorkspaceRole(String name, Role role) {}

  SessionRoutes(
      Sessions sessions,
      LoginLimiter limiter,
      Authenticator authenticator,
      ConsoleSettings settings) {
    this.sessions = sessions;
    this.limiter = limiter;
    this.authenticator = authenticator;
    this.settings = settings;
  }

  void register(Routes routes) {
    routes
        .post("/session")
        .open()
        .tag("session")
        .summary("Log in with a user name and password; sets the session cookie")
        .body("{\"user\": string, \"password\": string}")
        .handle(this::login);
    routes
        .get("/session")
        .tag("session")
        .summary("Who is logged in, the CSRF token and the caller's workspaces with roles")
        .handle(SessionRoutes::me);
    routes
        .delete("/session")
        .tag("session")
        .summary("Log out: ends the session")
        .handle(this::logout);
  }

  private Object login(Call call) throws Exception {
    Exchange ex = call.exchange();
    if (!Authn.sameOrigin(ex)) {
      return ApiErrors.error(403, "CsrfRejected", "a login must come from the console's own page");
    }
    String user = call.text("user", true).get();
    if (!Actor.USER_NAME.matcher(user).matches()) {
      // no such user can exist: refused before it is counted or hashed, and never kept
      throw new io.flinkplatform.engine.InvalidRequestException(
          "user", "a user name is 1 to 128 letters, digits and _ . @ -");
    }
    String address = ex.address();
    Duration wait = limiter.wait(user, address);
    if (!wait.isZero()) {
      long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
      return ApiErrors.error(
          429,
          "TooManyLogins",
          "too many failed logins; try again in " + seconds + " s",
          "retryAfterSeconds",
          seconds);
    }
    char[] password = call.text("password", true).get().toCharArray();
    Optional<Actor> actor = authenticator.password(user, password).filter(a -> !a.isSystem());
    java.util.Arrays.fill(password, '\0');
    if (actor.isEmpty()) {
      limiter.failed(user, address);
      LOG.info("console login of {} from {} refused", Texts.shortened(user), address);
      return ApiErrors.error(401, "LoginFailed", "wrong user name or password");
    }
    limiter.succeeded(user);
    ex.cookie(Authn.COOKIE).flatMap(sessions::find).ifPresent(sessions::delete);
    Sessions.Issued issued = sessions.create(actor.get().name(), address);
    ex.cookie(Authn.COOKIE, issued.cookie(), settings.sessionMaxAge().toSeconds());
    LOG.info("console login of {} from {}", actor.get().name(), address);
    Actor a = actor.get().from(address);
    return new Route.Reply(200, me(call.backend(), a, Optional.of(issued.session().csrf())));
  }

  private static Object me(Call call) {
    return me(call.backend(), call.actor(), call.principal().csrf());
  }

  static Me me(ConsoleBackend backend, Actor actor, Optional<String> csrf) {
    Map<String, Role> roles = backend.workspacesOf(actor);
    return new Me(
        actor.name(),
        csrf,
        backend.isPlatformAdmin(actor),
        roles.entrySet().stream()
            .map(e -> new WorkspaceRole(e.getKey(), e.getValue()))
            .sorted(java.util.Comparator.comparing(WorkspaceRole::name))
            .toList());
  }

  private Object logout(Call call) {
    call.principal().session().ifPresent(sessions::delete);
    call.exchange().cookie(Authn.COOKIE, "", 0);
    return null;
  }

  /** Short, printable names for the log. */
  static final class Texts {
    private Texts() {}

    static String shortened(String s) {
      String clean = s.replaceAll("[^\\x20-\\x7e]", "?");
      return clean.length() > 64 ? clean.substring(0, 64) + "..." : clean;
    }
  }
}
