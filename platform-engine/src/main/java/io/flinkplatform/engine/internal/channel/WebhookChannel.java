package io.flinkplatform.engine.internal.channel;

import io.flinkplatform.spi.AlertChannel;
import io.flinkplatform.spi.AlertDeliveryException;
import io.flinkplatform.spi.AlertMessage;
import io.flinkplatform.spi.InvalidInputException;
import io.flinkplatform.spi.OptionType;
import io.flinkplatform.spi.TaskOption;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * POSTs the alert as a JSON object to any HTTP endpoint. Every request carries {@code
 * Idempotency-Key}; with a {@code secret} it is signed: {@code X-FlinkPlatform-Signature:
 * sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>} over the exact body bytes, with the
 * epoch seconds in {@code X-FlinkPlatform-Timestamp}, so a receiver can check it and refuse old
 * replays.
 */
public final class WebhookChannel implements AlertChannel {
  static final String SIGNATURE = "X-FlinkPlatform-Signature";
  static final String TIMESTAMP = "X-FlinkPlatform-Timestamp";
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  /** Headers the channel sets itself or the HTTP client owns (lower case). */
  private static final Set<String> RESERVED =
      Set.of(
          "content-type",
          "content-length",
          "host",
          "connection",
          "expect",
          "upgrade",
          "user-agent",
          "idempotency-key",
          "authorization",
          SIGNATURE.toLowerCase(Locale.ROOT),
          TIMESTAMP.toLowerCase(Locale.ROOT));

  private static final List<TaskOption> OPTIONS =
      List.of(
          TaskOption.required("url", OptionType.STRING, "The http or https URL to POST to."),
          TaskOption.optional(
              "headers", OptionType.STRING_MAP, null, "Extra request headers (not secret)."),
          TaskOption.optional(
                  "secret",
                  OptionType.STRING,
                  null,
                  "Key of the HMAC-SHA256 signature in X-FlinkPlatform-Signature.")
              .asSecret(),
          TaskOption.optional(
                  "authorization",
                  OptionType.STRING,
                  null,
                  "Value of the Authorization header, e.g. 'Bearer <token>'.")
              .asSecret());

  @Override
  public String type() {
    return "webhook";
  }

  @Override
  public String description() {
    return "POSTs the alert as JSON to an http(s) URL, signed with HMAC-SHA256 when a secret is set.";
  }

  @Override
  public List<TaskOption> options() {
    return OPTIONS;
  }

  @Override
  public void validate(Map<String, Object> options) {
    Texts.httpUrl(options, "url");
    String authorization = Texts.string(options, "authorization");
    if (authorization != null
        && (authorization.indexOf('\r') >= 0 || authorization.indexOf('\n') >= 0)) {
      throw new InvalidInputException("authorization", "authorization must be one line");
    }
    if (options.get("headers") instanceof Map<?, ?> headers) {
      for (Object name : headers.keySet()) {
        String n = String.valueOf(name);
        if (!n.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
          throw new InvalidInputException(
              "headers", "header name '" + n + "' is not a valid HTTP header name");
        }
        String value = String.valueOf(headers.get(name));
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
          throw new InvalidInputException(
              "headers", "header '" + n + "' must be one line: no line breaks in its value");
        }
        if (n.equalsIgnoreCase("authorization")) {
          throw new InvalidInputException(
              "headers",
              "put the Authorization header's value in the secret option 'authorization', not in"
                  + " headers (headers are not sealed)");
        }
        if (RESERVED.contains(n.toLowerCase(Locale.ROOT))) {
          throw new InvalidInputException(
              "headers",
              "header '"
                  + n
                  + "' is set by the channel; not allowed in headers: "
                  + new TreeSet<>(RESERVED));
        }
      }
    }
  }

  @Override
  public void send(AlertMessage message, Map<String, Object> options, Duration timeout)
      throws AlertDeliveryException {
    URI url = Texts.sendUrl(options, "url");
    List<String> secrets = Texts.secrets(OPTIONS, options);
    String body = HttpPost.json(payload(message));
    Map<String, String> headers = new LinkedHashMap<>();
    if (options.get("headers") instanceof Map<?, ?> extra) {
      extra.forEach((k, v) -> headers.put(String.valueOf(k), String.valueOf(v)));
    }
    headers.put(IDEMPOTENCY_KEY, message.idempotencyKey());
    String authorization = Texts.string(options, "authorization");
    if (authorization != null) {
      headers.put("Authorization", authorization);
    }
    String secret = Texts.string(options, "secret");
    if (secret != null) {
      String timestamp = Long.toString(Instant.now().getEpochSecond());
      byte[] mac = Texts.hmacSha256(Texts.utf8(secret), Texts.utf8(timestamp + "." + body));
      headers.put(TIMESTAMP, timestamp);
      headers.put(SIGNATURE, "sha256=" + Texts.hex(mac));
    }
    HttpPost.Reply reply = HttpPost.post(url, body, headers, timeout, secrets);
    if (!reply.ok()) {
      throw HttpPost.statusFailure(url, reply, secrets);
    }
  }

  /** The JSON object a webhook receives. */
  static Map<String, Object> payload(AlertMessage m) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("idempotencyKey", m.idempotencyKey());
    p.put("kind", m.kind());
    p.put("severity", m.severity());
    p.put("workspace", m.workspace());
    p.put("rule", m.rule());
    p.put("title", m.title());
    p.put("text", m.text());
    p.put("link", m.link());
    p.put("at", DateTimeFormatter.ISO_INSTANT.format(m.at()));
    p.put("facts", new TreeMap<>(m.facts()));
    p.put("count", m.count());
    return p;
  }
}
