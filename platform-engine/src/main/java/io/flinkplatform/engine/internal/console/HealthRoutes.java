package io.flinkplatform.engine.internal.console;

import io.flinkplatform.engine.Health;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /health}, served without a login for load balancers and probes: the status and each
 * check's name and status, never a check's detail (it may name internals). 503 when DOWN. One
 * answer is reused for {@link #REUSE_NANOS}, and callers wait for the one being worked out, so that
 * unauthenticated calls cannot make the instance query the database at their rate.
 */
final class HealthRoutes {
  /** How long one answer is served again: one second. */
  static final long REUSE_NANOS = 1_000_000_000L;

  private Reply last;

  /** What the route answers: {@code {"status": "UP", "checks": {"database": "UP", ...}}}. */
  record Reply(String status, Map<String, String> checks, long atNanos) {}

  void register(Routes routes) {
    routes
        .get("/health")
        .open()
        .tag("platform")
        .summary(
            "This instance's health, without a login: UP or DOWN (503) and each check's status")
        .handle(c -> answer(c.backend()));
  }

  private synchronized Route.Reply answer(ConsoleBackend backend) {
    long now = System.nanoTime();
    if (last == null || now - last.atNanos() > REUSE_NANOS) {
      Health h = backend.health();
      Map<String, String> checks = new LinkedHashMap<>();
      h.checks().forEach(k -> checks.put(k.name(), k.status().name()));
      last = new Reply(h.status().name(), checks, System.nanoTime());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", last.status());
    body.put("checks", last.checks());
    return new Route.Reply("UP".equals(last.status()) ? 200 : 503, body);
  }
}
