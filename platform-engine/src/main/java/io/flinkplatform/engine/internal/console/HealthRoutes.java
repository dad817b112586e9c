package io.flinkplatform.engine.internal.console;

import io.flinkplatform.engine.Health;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /health}, served without a login for load balancers and probes: the status and each
 * check's name and status, never a check's detail (it may name internals). 503 when DOWN. One
 * answer is reused for {@link #REUSE_NANOS}, and while one caller works the next one out the others
 * get the last one (only the very first waits), so that unauthenticated calls can neither make the
 * instance query the database at their rate nor hold the console's threads.
 */
final class HealthRoutes {
  /** How long one answer is served again: one second. */
  static final long REUSE_NANOS = 1_000_000_000L;

  private volatile Reply last;
  private final java.util.concurrent.locks.ReentrantLock working =
      new java.util.concurrent.locks.ReentrantLock();

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

  private Route.Reply answer(ConsoleBackend backend) {
    Reply shown = last;
    if (shown == null || System.nanoTime() - shown.atNanos() > REUSE_NANOS) {
      // one caller works the answer out; while it does (a database check may take seconds in an
      // outage), the others get the last answer instead of holding console threads
      if (shown == null) {
        working.lock();
      } else if (!working.tryLock()) {
        return reply(shown);
      }
      try {
        shown = last;
        if (shown == null || System.nanoTime() - shown.atNanos() > REUSE_NANOS) {
          Health h = backend.health();
          Map<String, String> checks = new LinkedHashMap<>();
          h.checks().forEach(k -> checks.put(k.name(), k.status().name()));
          shown = new Reply(h.status().name(), checks, System.nanoTime());
          last = shown;
        }
      } finally {
        working.unlock();
      }
    }
    return reply(shown);
  }

  private static Route.Reply reply(Reply r) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", r.status());
    body.put("checks", r.checks());
    return new Route.Reply("UP".equals(r.status()) ? 200 : 503, body);
  }
}
