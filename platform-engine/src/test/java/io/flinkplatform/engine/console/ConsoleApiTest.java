package io.flinkplatform.engine.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flinkplatform.engine.ConsoleRoutesAccess;
import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.access.IssuedToken;
import io.flinkplatform.engine.access.Users;
import io.flinkplatform.engine.internal.console.Route;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.Role;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console's HTTP core on a real server and database: login and its cookie, session fixation,
 * CSRF, API tokens, typed JSON errors, the login limit, logout, security headers and the OpenAPI
 * document against the served routes.
 */
class ConsoleApiTest {
  static final String PASSWORD = "correct horse battery staple";
  private static TestPlatforms platforms;
  private static Platform platform;
  private static URI base;

  @BeforeAll
  static void start() {
    platforms = new TestPlatforms();
    platform =
        platforms.start(
            "console",
            b ->
                b.console(
                    ConsoleSettings.builder()
                        .port(0)
                        .loginFailures(3, Duration.ofMinutes(5))
                        .build()));
    base = platform.consoleUri().orElseThrow();
    Users users = platform.users(Actor.SYSTEM);
    users.createUser("alice", "Alice", PASSWORD.toCharArray());
    users.createUser("bob", "Bob", PASSWORD.toCharArray());
    users.createUser("mallory", "Mallory", PASSWORD.toCharArray());
    users.createUser("oscar", "Oscar", PASSWORD.toCharArray());
    users.createUser("dave", "Dave", PASSWORD.toCharArray());
    users.createUser("erin", "Erin", PASSWORD.toCharArray());
    platform.client().setMember("alice", Role.EDITOR);
    platform.client().setMember("bob", Role.VIEWER);
  }

  @AfterAll
  static void stop() {
    platforms.close();
  }

  private static ConsoleClient client() {
    return new ConsoleClient(base);
  }

  private static final String WORKFLOW =
      "{\"name\":\"api_flow\",\"tasks\":[{\"id\":\"a\",\"type\":\"emit\"}]}";

  @Test
  void aLoginSetsAStrictHttpOnlyCookieAndGivesTheCsrfToken() {
    ConsoleClient c = client();
    ConsoleClient.Reply r = c.login("alice", PASSWORD);
    assertThat(r.status()).isEqualTo(200);
    String setCookie =
        r.raw().headers().allValues("Set-Cookie").stream()
            .filter(s -> s.startsWith("fp_session="))
            .findFirst()
            .orElseThrow();
    assertThat(setCookie)
        .contains("HttpOnly", "SameSite=Strict", "Path=/")
        .doesNotContain("Secure");
    assertThat(r.json().get("user").asText()).isEqualTo("alice");
    assertThat(r.json().get("csrf").asText()).hasSize(43);
    assertThat(r.json().get("workspaces").get(0).get("role").asText()).isEqualTo("EDITOR");
    ConsoleClient.Reply me = c.get("api/v1/session");
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.json().get("csrf").asText()).isEqualTo(c.csrf());
    // the body never echoes the password
    assertThat(r.body()).doesNotContain(PASSWORD);
  }

  @Test
  void aWrongPasswordIsRefusedTheSameWayAsAnUnknownUserAndThenLimited() {
    ConsoleClient c = client();
    ConsoleClient.Reply wrong = c.login("mallory", "not the password at all");
    ConsoleClient.Reply unknown = c.login("nobody-here", "not the password at all");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(wrong.json().get("error").asText()).isEqualTo("LoginFailed");
    assertThat(wrong.json()).isEqualTo(unknown.json());
    c.login("mallory", "not the password at all 2");
    c.login("mallory", "not the password at all 3"); // the third failure within the window
    ConsoleClient.Reply limited = c.login("mallory", PASSWORD);
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.json().get("error").asText()).isEqualTo("TooManyLogins");
    assertThat(limited.header("Retry-After")).isPresent();
    // other users are not limited by mallory's failures
    assertThat(client().login("bob", PASSWORD).status()).isEqualTo(200);
  }

  @Test
  void aPlantedSessionIdIsWorthlessAndALoginIssuesANewOne() {
    String planted = "A".repeat(43);
    ConsoleClient c = client().cookie(planted);
    assertThat(c.get("api/v1/session").status()).isEqualTo(401);
    assertThat(c.login("alice", PASSWORD).status()).isEqualTo(200);
    assertThat(c.cookie()).isNotEqualTo(planted);
    assertThat(client().cookie(planted).get("api/v1/session").status()).isEqualTo(401);
  }

  @Test
  void stateChangesOfASessionNeedItsCsrfTokenAndTheConsolesOrigin() {
    ConsoleClient c = client();
    c.login("alice", PASSWORD);
    String token = c.csrf();
    c.csrf(null);
    ConsoleClient.Reply noToken = c.post("api/v1/workspaces/default/workflows", WORKFLOW);
    assertThat(noToken.status()).isEqualTo(403);
    assertThat(noToken.json().get("error").asText()).isEqualTo("CsrfRejected");
    c.csrf("x".repeat(43));
    assertThat(c.post("api/v1/workspaces/default/workflows", WORKFLOW).status()).isEqualTo(403);
    c.csrf(token).header("Origin", "http://evil.example");
    assertThat(c.post("api/v1/workspaces/default/workflows", WORKFLOW).status()).isEqualTo(403);
    assertThat(platform.client().workflow("api_flow")).isEmpty();
    ConsoleClient ok = client();
    ok.login("alice", PASSWORD);
    ConsoleClient.Reply deployed =
        ok.header("Origin", base.getScheme() + "://" + base.getAuthority())
            .post("api/v1/workspaces/default/workflows", WORKFLOW);
    assertThat(deployed.status()).isEqualTo(201);
    assertThat(deployed.json().get("version").asInt()).isEqualTo(1);
  }

  @Test
  void anApiTokenWorksWithoutCsrfAndABadOneIsRefused() {
    IssuedToken t = platform.users(Actor.SYSTEM).createToken("alice", "ci", Duration.ofDays(1));
    ConsoleClient c = client().token(t.token());
    ConsoleClient.Reply r = c.post("api/v1/workspaces/default/workflows/validate", WORKFLOW);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("problems")).isEmpty();
    ConsoleClient.Reply bad = client().token("fpt_1_nonsense").get("api/v1/workspaces");
    assertThat(bad.status()).isEqualTo(401);
    assertThat(bad.json().get("error").asText()).isEqualTo("Unauthenticated");
    assertThat(client().get("api/v1/workspaces").status()).isEqualTo(401);
  }

  @Test
  void errorsCarryTheJavaApisNamesAndFields() {
    ConsoleClient viewer = client();
    viewer.login("bob", PASSWORD);
    ConsoleClient.Reply denied = viewer.post("api/v1/workspaces/default/workflows", WORKFLOW);
    assertThat(denied.status()).isEqualTo(403);
    JsonNode e = denied.json();
    assertThat(e.get("error").asText()).isEqualTo("AccessDeniedException");
    assertThat(e.get("actor").asText()).isEqualTo("bob");
    assertThat(e.get("workspace").asText()).isEqualTo("default");
    assertThat(e.get("action").asText()).isEqualTo("workflow.deploy");
    assertThat(e.get("needed").asText()).isEqualTo("EDITOR");
    ConsoleClient.Reply missing = viewer.get("api/v1/workspaces/default/runs/999999");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().get("error").asText()).isEqualTo("NotFoundException");
    ConsoleClient.Reply badId = viewer.get("api/v1/workspaces/default/runs/abc");
    assertThat(badId.status()).isEqualTo(400);
    assertThat(badId.json().get("field").asText()).isEqualTo("runId");
    ConsoleClient editor = client();
    editor.login("alice", PASSWORD);
    ConsoleClient.Reply invalid =
        editor.post(
            "api/v1/workspaces/default/workflows",
            "{\"name\":\"bad flow\",\"tasks\":[{\"id\":\"a\",\"type\":\"nope\"}]}");
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.json().get("error").asText()).isEqualTo("WorkflowValidationException");
    assertThat(invalid.json().get("problems")).isNotEmpty();
    ConsoleClient.Reply notJson = editor.post("api/v1/workspaces/default/workflows", "{nope");
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.json().get("field").asText()).isEqualTo("body");
    assertThat(editor.get("api/v1/no/such/route").status()).isEqualTo(404);
    assertThat(editor.delete("api/v1/workspaces").status()).isEqualTo(405);
  }

  @Test
  void everyAnswerCarriesTheSecurityHeaders() {
    ConsoleClient.Reply r = client().get("api/v1/openapi.json");
    assertThat(r.header("X-Content-Type-Options")).contains("nosniff");
    assertThat(r.header("X-Frame-Options")).contains("DENY");
    assertThat(r.header("Content-Security-Policy").orElseThrow()).contains("default-src 'self'");
    assertThat(r.header("Cache-Control")).contains("no-store");
  }

  @Test
  void aLogoutEndsTheSession() {
    ConsoleClient c = client();
    c.login("alice", PASSWORD);
    assertThat(c.delete("api/v1/session").status()).isEqualTo(204);
    assertThat(c.get("api/v1/session").status()).isEqualTo(401);
  }

  @Test
  void theOpenApiDocumentListsEveryRouteAndEveryDocumentedRouteIsServed() {
    ConsoleClient.Reply r = client().get("api/v1/openapi.json");
    assertThat(r.status()).isEqualTo(200);
    JsonNode doc = r.json();
    assertThat(doc.get("openapi").asText()).startsWith("3.");
    Set<String> documented = new HashSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> p = doc.get("paths").fields(); p.hasNext(); ) {
      Map.Entry<String, JsonNode> path = p.next();
      path.getValue()
          .fieldNames()
          .forEachRemaining(m -> documented.add(m.toUpperCase() + " " + path.getKey()));
    }
    List<Route> routes = ConsoleRoutesAccess.routes(platform);
    Set<String> served = new HashSet<>();
    routes.forEach(route -> served.add(route.method() + " " + route.path()));
    assertThat(documented).isEqualTo(served);
    // and each documented route answers on the wire as a route (not "no such route")
    ConsoleClient c = client();
    c.login("alice", PASSWORD);
    for (String op : documented) {
      String method = op.substring(0, op.indexOf(' '));
      String path =
          op.substring(op.indexOf(' ') + 1)
              .replaceAll("\\{ws}", "default")
              .replaceAll("\\{[A-Za-z]+}", "1");
      if (method.equals("DELETE") && path.equals("/session")) {
        continue; // would log out
      }
      ConsoleClient.Reply reply =
          c.send(method, "api/v1" + path, method.equals("GET") ? null : "{}");
      assertThat(reply.status()).as(op).isNotEqualTo(405).isLessThan(500);
      if (reply.status() == 404) {
        assertThat(reply.json().get("error").asText()).as(op).isNotEqualTo("NotFound");
      }
    }
  }

  @Test
  void aUserNameOfAnotherCaseCountsAgainstTheSameLimitAndAnImpossibleNameIsNotCounted() {
    ConsoleClient c = client();
    c.login("OSCAR", "not the password at all");
    c.login("Oscar", "not the password at all");
    c.login("oscar", "not the password at all");
    assertThat(c.login("oscar", PASSWORD).status()).isEqualTo(429);
    ConsoleClient.Reply huge = c.login("x".repeat(5000), "whatever it is");
    assertThat(huge.status()).isEqualTo(400);
    assertThat(huge.json().get("field").asText()).isEqualTo("user");
  }

  @Test
  void theLoginPageGoesBackOnlyToAPathOfThisConsole() {
    assertThat(client().get("login?next=/w/default/runs").body())
        .contains("data-next=\"/w/default/runs\"");
    for (String evil :
        new String[] {"//evil.example", "/%5Cevil.example", "https://evil.example"}) {
      assertThat(client().get("login?next=" + evil).body()).as(evil).contains("data-next=\"/\"");
    }
  }

  @Test
  void aMalformedPathIsABadRequest() {
    ConsoleClient c = client();
    c.login("alice", PASSWORD);
    // java.net.URI refuses to make such a request: write it on a socket
    try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
      socket
          .getOutputStream()
          .write(
              ("GET /api/v1/workspaces/default/runs/%zz HTTP/1.1\r\nHost: "
                      + base.getAuthority()
                      + "\r\nCookie: fp_session="
                      + c.cookie()
                      + "\r\nConnection: close\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String answer =
          new String(
              socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      // refused as a bad request (by the JDK's server, which cannot parse it), never a 500
      assertThat(answer).startsWith("HTTP/1.1 400");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aNewPasswordEndsTheUsersSessionsAndOnesOwnNeedsTheCurrentOne() {
    ConsoleClient dave = client();
    dave.login("dave", PASSWORD);
    assertThat(dave.get("api/v1/session").status()).isEqualTo(200);
    platform.users(Actor.SYSTEM).setPassword("dave", "a different long password".toCharArray());
    assertThat(dave.get("api/v1/session").status()).isEqualTo(401);

    ConsoleClient erin = client();
    erin.login("erin", PASSWORD);
    ConsoleClient.Reply without =
        erin.send("PUT", "api/v1/users/erin/password", Map.of("password", "erin's new password"));
    assertThat(without.status()).isEqualTo(400);
    assertThat(without.json().get("field").asText()).isEqualTo("currentPassword");
    ConsoleClient.Reply wrong =
        erin.send(
            "PUT",
            "api/v1/users/erin/password",
            Map.of("password", "erin's new password", "currentPassword", "not it at all"));
    assertThat(wrong.status()).isEqualTo(400);
    assertThat(
            erin.send(
                    "PUT",
                    "api/v1/users/erin/password",
                    Map.of("password", "erin's new password", "currentPassword", PASSWORD))
                .status())
        .isEqualTo(204);
    assertThat(client().login("erin", "erin's new password").status()).isEqualTo(200);
  }
}
