package io.flinkplatform.engine.internal;

import io.flinkplatform.engine.Health;
import io.flinkplatform.engine.Health.Check;
import io.flinkplatform.engine.Health.Status;
import io.flinkplatform.engine.internal.common.Loop;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;

/**
 * Works out one instance's {@link Health}: the database answers {@code SELECT 1} within {@link
 * Health#DATABASE_TIMEOUT_SECONDS} (asked on a thread of its own, so that a pool waiting for a
 * connection cannot hold the caller), each loop completes turns ({@link Loop#status}), the
 * completer steps, and the heartbeat renewed within the lease. A loop the instance does not run
 * (manual mode, the scheduler of an instance without workers) or stopped on purpose is UP.
 */
final class HealthChecks {
  private final DataSource dataSource;
  private final Components components;
  private final BackgroundLoops loops;
  private final long leaseNanos;
  private final String instance;

  HealthChecks(
      DataSource dataSource,
      Components components,
      BackgroundLoops loops,
      long leaseMillis,
      String instance) {
    this.dataSource = dataSource;
    this.components = components;
    this.loops = loops;
    this.leaseNanos = leaseMillis * 1_000_000L;
    this.instance = instance;
  }

  /** Every check, the database's too when {@code database} (it queries). */
  Health check(boolean database) {
    List<Check> checks = new ArrayList<>();
    if (database) {
      checks.add(database());
    }
    long now = System.nanoTime();
    for (Loop l : loops.all()) {
      Loop.Status s = l.status(now);
      checks.add(
          new Check(
              "loop:" + l.name(),
              s == Loop.Status.STALLED ? Status.DOWN : Status.UP,
              switch (s) {
                case RUNNING -> "completes its turns";
                case STALLED -> "completed no turn for " + Loop.STALLED_AFTER_POLLS + " intervals";
                case STOPPED -> "stopped";
                case NOT_STARTED -> "not run by this instance";
              }));
    }
    checks.add(completer(now));
    checks.add(lease(now));
    return Health.of(checks);
  }

  private Check completer(long now) {
    Thread t = loops.completerThread();
    if (t == null) {
      return new Check("completer", Status.UP, "not run by this instance");
    }
    if (!t.isAlive()) {
      return new Check("completer", Status.UP, "stopped");
    }
    long idle = now - components.completer().lastStepNanos();
    return idle > leaseNanos
        ? new Check(
            "completer", Status.DOWN, "a commit has not ended for " + idle / 1_000_000 + " ms")
        : new Check("completer", Status.UP, "commits");
  }

  private Check lease(long now) {
    if (!loops.started()) {
      return new Check("lease", Status.UP, "not renewed by a loop of this instance (manual mode)");
    }
    long age = now - components.heartbeat().renewedNanos();
    return age > leaseNanos
        ? new Check(
            "lease",
            Status.DOWN,
            "not renewed for " + age / 1_000_000 + " ms (lease " + leaseNanos / 1_000_000 + " ms)")
        : new Check("lease", Status.UP, "renewed " + age / 1_000_000 + " ms ago");
  }

  private Check database() {
    CompletableFuture<Void> probe = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try (Connection c = dataSource.getConnection();
                  Statement s = c.createStatement()) {
                s.setQueryTimeout(Health.DATABASE_TIMEOUT_SECONDS);
                s.execute("SELECT 1");
                probe.complete(null);
              } catch (Throwable e) {
                probe.completeExceptionally(e);
              }
            },
            "fp-health-" + instance);
    t.setDaemon(true);
    t.start();
    try {
      probe.get(Health.DATABASE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return new Check("database", Status.UP, "answers SELECT 1");
    } catch (TimeoutException e) {
      return new Check(
          "database",
          Status.DOWN,
          "no answer to SELECT 1 within " + Health.DATABASE_TIMEOUT_SECONDS + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Check("database", Status.DOWN, "interrupted while asking");
    } catch (java.util.concurrent.ExecutionException e) {
      return new Check(
          "database", Status.DOWN, "SELECT 1 failed: " + e.getCause().getClass().getSimpleName());
    }
  }
}
