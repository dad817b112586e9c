package io.flinkplatform.engine.internal.console;

import com.sun.net.httpserver.HttpExchange;
import io.flinkplatform.engine.InvalidRequestException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One HTTP request and its response, with the console's security headers on every answer. */
public final class Exchange {
  /** The console's content security policy: nothing but its own scripts and styles. */
  static final String CSP =
      "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self';"
          + " object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  private final HttpExchange http;
  private final String path;
  private final boolean secure;
  private final String basePath;
  private Map<String, String> query;

  Exchange(HttpExchange http, String path, String basePath, boolean secure) {
    this.http = http;
    this.path = path;
    this.basePath = basePath;
    this.secure = secure;
  }

  public String method() {
    return http.getRequestMethod();
  }

  /** The path below the base path, starting with {@code /}. */
  public String path() {
    return path;
  }

  /** The base path a proxy adds in front ({@code ""} for none), for links. */
  public String basePath() {
    return basePath;
  }

  public boolean secure() {
    return secure;
  }

  public Optional<String> header(String name) {
    return Optional.ofNullable(http.getRequestHeaders().getFirst(name));
  }

  /** The caller's IP address. */
  public String address() {
    return http.getRemoteAddress().getAddress().getHostAddress();
  }

  public Optional<String> cookie(String name) {
    List<String> headers = http.getRequestHeaders().get("Cookie");
    if (headers == null) {
      return Optional.empty();
    }
    for (String header : headers) {
      for (String part : header.split(";")) {
        int eq = part.indexOf('=');
        if (eq > 0 && part.substring(0, eq).trim().equals(name)) {
          return Optional.of(part.substring(eq + 1).trim());
        }
      }
    }
    return Optional.empty();
  }

  /** The query parameters (the first value of each). */
  public Map<String, String> query() {
    if (query == null) {
      Map<String, String> q = new LinkedHashMap<>();
      String raw = http.getRequestURI().getRawQuery();
      if (raw != null) {
        for (String pair : raw.split("&")) {
          if (pair.isEmpty()) {
            continue;
          }
          int eq = pair.indexOf('=');
          String k = decode(eq < 0 ? pair : pair.substring(0, eq));
          String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
          q.putIfAbsent(k, v);
        }
      }
      query = q;
    }
    return query;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("query", "the query string is not URL-encoded: " + s);
    }
  }

  /** The request body, refused over {@code max} bytes. */
  public byte[] body(long max) throws IOException {
    try (InputStream in = http.getRequestBody()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      long total = 0;
      for (int n; (n = in.read(buf)) > 0; ) {
        total += n;
        if (total > max) {
          throw new TooLargeException(max);
        }
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    }
  }

  /** The request body as a stream, cut off with an error past {@code max} bytes. */
  public InputStream bodyStream(long max) {
    InputStream in = http.getRequestBody();
    return new InputStream() {
      long total;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0 && (total += n) > max) {
          throw new TooLargeException(max);
        }
        return n;
      }

      @Override
      public void close() throws IOException {
        in.close();
      }
    };
  }

  public void header(String name, String value) {
    http.getResponseHeaders().add(name, value);
  }

  /** Sets a cookie for the console's path: HttpOnly, SameSite=Strict, Secure under TLS. */
  public void cookie(String name, String value, long maxAgeSeconds) {
    header(
        "Set-Cookie",
        name
            + "="
            + value
            + "; Path="
            + (basePath.isEmpty() ? "/" : basePath + "/")
            + "; Max-Age="
            + maxAgeSeconds
            + "; HttpOnly; SameSite=Strict"
            + (secure ? "; Secure" : ""));
  }

  public void send(int status, String contentType, byte[] body) throws IOException {
    var h = http.getResponseHeaders();
    h.set("X-Content-Type-Options", "nosniff");
    h.set("X-Frame-Options", "DENY");
    h.set("Referrer-Policy", "same-origin");
    h.set("Content-Security-Policy", CSP);
    if (!h.containsKey("Cache-Control")) {
      h.set("Cache-Control", "no-store");
    }
    if (secure) {
      h.set("Strict-Transport-Security", "max-age=31536000");
    }
    if (contentType != null) {
      h.set("Content-Type", contentType);
    }
    if (body == null || body.length == 0 || method().equals("HEAD")) {
      http.sendResponseHeaders(status, -1);
      http.close();
      return;
    }
    http.sendResponseHeaders(status, body.length);
    try (OutputStream out = http.getResponseBody()) {
      out.write(body);
    }
  }

  /** Sends {@code content} chunked, closing it. */
  public void stream(int status, String contentType, InputStream content) throws IOException {
    try (InputStream in = content) {
      var h = http.getResponseHeaders();
      h.set("X-Content-Type-Options", "nosniff");
      h.set("X-Frame-Options", "DENY");
      h.set("Content-Security-Policy", CSP);
      h.set("Cache-Control", "no-store");
      h.set("Content-Type", contentType);
      http.sendResponseHeaders(status, 0);
      try (OutputStream out = http.getResponseBody()) {
        in.transferTo(out);
      }
    }
  }

  public void json(int status, Object value) throws IOException {
    send(status, "application/json; charset=utf-8", ConsoleJson.write(value));
  }

  public void html(int status, String page) throws IOException {
    send(status, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
  }

  public void redirect(String to) throws IOException {
    header("Location", basePath + to);
    send(303, null, null);
  }

  /** A body over the allowed size. */
  static final class TooLargeException extends IOException {
    final long max;

    TooLargeException(long max) {
      super("the request body is larger than " + max + " bytes");
      this.max = max;
    }
  }
}
