package io.flinkplatform.engine.internal.console;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed logins per user name and per address in a sliding window and refuses more than
 * allowed (per name: {@code failures}; per address: five times that, for a shared proxy or NAT). In
 * memory, per instance: behind N instances an attacker gets N times the attempts, each costing one
 * Argon2 check (docs/console.md). Bounded: at most {@link #MAX_KEYS} keys are tracked.
 */
final class LoginLimiter {
  static final int MAX_KEYS = 100_000;
  private final Map<String, Deque<Long>> failures = new ConcurrentHashMap<>();
  private final Clock clock;
  private final int perUser;
  private final long windowMs;

  LoginLimiter(Clock clock, int perUser, Duration window) {
    this.clock = clock;
    this.perUser = perUser;
    this.windowMs = window.toMillis();
  }

  /**
   * The key of a user name: case-folded, since the database finds a user whatever the case of its
   * name (so "Admin" and "admin" share one count).
   */
  private static String userKey(String user) {
    return "u:" + user.toLowerCase(java.util.Locale.ROOT);
  }

  /** How long until this user from this address may try again; zero if it may now. */
  Duration wait(String user, String address) {
    long now = clock.millis();
    long u = waitFor(userKey(user), perUser, now);
    long a = waitFor("a:" + address, perUser * 5, now);
    return Duration.ofMillis(Math.max(u, a));
  }

  void failed(String user, String address) {
    long now = clock.millis();
    if (failures.size() >= MAX_KEYS) {
      failures.entrySet().removeIf(e -> expired(e.getValue(), now));
      if (failures.size() >= MAX_KEYS) {
        failures.clear(); // a flood of names: forget all rather than grow without bound
      }
    }
    add(userKey(user), now);
    add("a:" + address, now);
  }

  void succeeded(String user) {
    failures.remove(userKey(user));
  }

  private void add(String key, long now) {
    Deque<Long> d = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
    synchronized (d) {
      d.addLast(now);
      while (d.size() > perUser * 5) {
        d.removeFirst();
      }
    }
  }

  private long waitFor(String key, int allowed, long now) {
    Deque<Long> d = failures.get(key);
    if (d == null) {
      return 0;
    }
    synchronized (d) {
      while (!d.isEmpty() && d.peekFirst() <= now - windowMs) {
        d.removeFirst();
      }
      if (d.size() < allowed) {
        return 0;
      }
      // the oldest failure that still counts leaves the window then
      Long[] times = d.toArray(new Long[0]);
      return times[d.size() - allowed] + windowMs - now;
    }
  }

  private boolean expired(Deque<Long> d, long now) {
    synchronized (d) {
      return d.isEmpty() || d.peekLast() <= now - windowMs;
    }
  }
}
