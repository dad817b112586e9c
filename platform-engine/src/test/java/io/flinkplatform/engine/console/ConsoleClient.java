package io.flinkplatform.engine.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A plain HTTP client of the console for tests: keeps the session cookie and CSRF token of its
 * login like a browser would, or sends an API token.
 */
public final class ConsoleClient {
  static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final URI base;
  private String cookie;
  private String csrf;
  private String token;
  private final Map<String, String> extraHeaders = new LinkedHashMap<>();

  /** A response: status, headers and body as text and JSON. */
  public record Reply(int status, HttpResponse<String> raw) {
    public JsonNode json() {
      try {
        return JSON.readTree(raw.body());
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + raw.body(), e);
      }
    }

    public String body() {
      return raw.body();
    }

    public Optional<String> header(String name) {
      return raw.headers().firstValue(name);
    }
  }

  public ConsoleClient(URI base) {
    this.base = base;
  }

  public URI base() {
    return base;
  }

  public ConsoleClient token(String token) {
    this.token = token;
    return this;
  }

  /** Sends this cookie as the session (e.g. one planted by an attacker). */
  public ConsoleClient cookie(String value) {
    this.cookie = value;
    return this;
  }

  public String cookie() {
    return cookie;
  }

  public String csrf() {
    return csrf;
  }

  public ConsoleClient csrf(String csrf) {
    this.csrf = csrf;
    return this;
  }

  public ConsoleClient header(String name, String value) {
    extraHeaders.put(name, value);
    return this;
  }

  /** Logs in; keeps the cookie and CSRF token on success. */
  public Reply login(String user, String password) {
    Reply r = send("POST", "api/v1/session", Map.of("user", user, "password", password));
    if (r.status() == 200) {
      r.raw()
          .headers()
          .allValues("Set-Cookie")
          .forEach(
              c -> {
                if (c.startsWith("fp_session=")) {
                  cookie = c.substring("fp_session=".length(), c.indexOf(';'));
                }
              });
      csrf = r.json().get("csrf").asText();
    }
    return r;
  }

  public Reply get(String path) {
    return send("GET", path, null);
  }

  public Reply post(String path, Object body) {
    return send("POST", path, body);
  }

  public Reply delete(String path) {
    return send("DELETE", path, null);
  }

  public Reply send(String method, String path, Object body) {
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path));
      byte[] content =
          body == null
              ? new byte[0]
              : body instanceof String s
                  ? s.getBytes(StandardCharsets.UTF_8)
                  : JSON.writeValueAsBytes(body);
      b.method(
          method,
          body == null
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(content));
      if (body != null) {
        b.header("Content-Type", "application/json");
      }
      if (cookie != null) {
        b.header("Cookie", "fp_session=" + cookie);
      }
      if (csrf != null && !method.equals("GET")) {
        b.header("X-CSRF-Token", csrf);
      }
      if (token != null) {
        b.header("Authorization", "Bearer " + token);
      }
      extraHeaders.forEach(b::header);
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
