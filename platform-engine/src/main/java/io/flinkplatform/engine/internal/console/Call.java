package io.flinkplatform.engine.internal.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.spi.Actor;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/** One matched API call: who calls, the path's parameters, the query and the body. */
public final class Call {
  private final Exchange exchange;
  private final Principal principal;
  private final Actor actor;
  private final Map<String, String> params;
  private final ConsoleBackend backend;
  private final long maxBody;
  private JsonNode body;
  private byte[] raw;

  Call(
      Exchange exchange,
      Principal principal,
      Map<String, String> params,
      ConsoleBackend backend,
      long maxBody) {
    this.exchange = exchange;
    this.principal = principal;
    this.actor = principal == null ? null : principal.actor();
    this.params = Map.copyOf(params);
    this.backend = backend;
    this.maxBody = maxBody;
  }

  /** The logged-in actor (with the caller's address); null only on an open route. */
  public Actor actor() {
    return actor;
  }

  /** The caller; null only on an open route. */
  public Principal principal() {
    return principal;
  }

  public ConsoleBackend backend() {
    return backend;
  }

  public Exchange exchange() {
    return exchange;
  }

  /** A client acting as the caller in the path's workspace ({@code {ws}}). */
  public PlatformClient client() {
    return backend.client(actor, path("ws"));
  }

  /** A path parameter (always present when the route matched). */
  public String path(String name) {
    String v = params.get(name);
    if (v == null) {
      throw new IllegalStateException("the route has no path parameter " + name);
    }
    return v;
  }

  /** A path parameter that must be a positive number. */
  public long id(String name) {
    String v = path(name);
    try {
      long id = Long.parseLong(v);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // the same error below
    }
    throw new InvalidRequestException(name, name + " must be a positive whole number, not " + v);
  }

  public Optional<String> query(String name) {
    return Optional.ofNullable(exchange.query().get(name)).filter(s -> !s.isEmpty());
  }

  /** A whole-number query parameter in {@code [min, max]}, or {@code otherwise} if absent. */
  public int intQuery(String name, int otherwise, int min, int max) {
    Optional<String> v = query(name);
    if (v.isEmpty()) {
      return otherwise;
    }
    try {
      int n = Integer.parseInt(v.get());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // the same error below
    }
    throw new InvalidRequestException(
        name, name + " must be a whole number from " + min + " to " + max + ", not " + v.get());
  }

  /** The JSON body (an object; empty when none was sent). */
  public JsonNode body() throws IOException {
    if (body == null) {
      body = ConsoleJson.read(raw());
    }
    return body;
  }

  /** The body as sent, read once (refused over the console's body limit). */
  public byte[] raw() throws IOException {
    if (raw == null) {
      raw = exchange.body(maxBody);
    }
    return raw;
  }

  /** The body converted to {@code type}. */
  public <T> T body(Class<T> type) throws IOException {
    return ConsoleJson.convert(body(), type);
  }

  /** A text field of the body; {@code required} ones must be present and non-blank. */
  public Optional<String> text(String field, boolean required) throws IOException {
    JsonNode n = body().get(field);
    if (n == null || n.isNull() || n.isTextual() && n.asText().isBlank()) {
      if (required) {
        throw new InvalidRequestException(field, field + " is required");
      }
      return Optional.empty();
    }
    if (!n.isTextual()) {
      throw new InvalidRequestException(field, field + " must be a string");
    }
    return Optional.of(n.asText());
  }
}
