package io.flinkplatform.examples.bench.peers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Watches a flink-platform schema during a measurement: every {@link #INTERVAL_NANOS} one read-only
 * autocommit {@code SELECT} on a connection of its own asks whether due {@code READY} attempts
 * exist and how many attempts are {@code RUNNING}. A sample is idle when work is due while the
 * instances hold fewer running attempts than their worker slots: a claim could have taken it.
 * Autocommit reads count neither as {@code Com_commit} nor as write transactions.
 *
 * <p>The probe is not free: its {@code COUNT} walks the RUNNING entries of the claim index, and
 * every 5 ms it took about a quarter of the server's statement time during a 16-worker drain
 * (performance_schema digests), load that only the flink-platform rows carried. Every 25 ms it is a
 * fifth of that, and a drain of a few seconds still gets a hundred samples or more.
 */
final class IdleClaimSampler implements AutoCloseable {
  static final long INTERVAL_NANOS = 25_000_000;

  private static final String QUERY =
      "SELECT (SELECT COUNT(*) FROM t_job_run WHERE state = 'RUNNING'),"
          + " EXISTS (SELECT 1 FROM t_job_run WHERE state = 'READY' AND ready_at <= ?)";

  private record Probe(long nanos, boolean idle) {}

  private final Connection connection;
  private final int slots;
  private final List<Probe> probes = new ArrayList<>();
  private final Thread thread;
  private volatile boolean stopped;
  private volatile SQLException failure;

  private IdleClaimSampler(Connection connection, int slots) {
    this.connection = connection;
    this.slots = slots;
    this.thread = new Thread(this::loop, "idle-claim-sampler");
    this.thread.setDaemon(true);
  }

  /** Starts sampling the schema behind {@code connection} (the sampler closes it). */
  static IdleClaimSampler start(Connection connection, int slots) {
    IdleClaimSampler s = new IdleClaimSampler(connection, slots);
    s.thread.start();
    return s;
  }

  private void loop() {
    try (PreparedStatement q = connection.prepareStatement(QUERY)) {
      long next = System.nanoTime();
      while (!stopped) {
        q.setLong(1, System.currentTimeMillis());
        long at = System.nanoTime();
        try (ResultSet r = q.executeQuery()) {
          r.next();
          boolean idle = r.getBoolean(2) && r.getLong(1) < slots;
          synchronized (probes) {
            probes.add(new Probe(at, idle));
          }
        }
        next += INTERVAL_NANOS;
        LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
      }
    } catch (SQLException e) {
      failure = e;
    }
  }

  /** The samples taken between {@code fromNanos} and {@code toNanos} (System.nanoTime). */
  IdleClaims between(long fromNanos, long toNanos) {
    long idle = 0;
    long samples = 0;
    synchronized (probes) {
      for (Probe p : probes) {
        if (p.nanos >= fromNanos && p.nanos <= toNanos) {
          samples++;
          idle += p.idle ? 1 : 0;
        }
      }
    }
    return new IdleClaims(idle, samples);
  }

  @Override
  public void close() throws SQLException {
    stopped = true;
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    connection.close();
    if (failure != null) {
      throw failure;
    }
  }
}
