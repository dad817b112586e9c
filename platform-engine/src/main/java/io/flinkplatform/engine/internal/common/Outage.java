package io.flinkplatform.engine.internal.common;

import io.flinkplatform.engine.StoreException;
import io.flinkplatform.engine.event.PlatformEvent;
import java.net.SocketException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientException;
import java.time.Clock;
import org.slf4j.Logger;

/**
 * Tracks a loop's database outage so it logs once per outage, not once per attempt, and backs off
 * between tries.
 */
public final class Outage {
  private final String loop;
  private final Logger log;
  private final Events events;
  private final Clock clock;
  private final Signals signals;
  private int failures;

  /** When the current outage began (epoch millis), or -1 when the database is reachable. */
  private long since = -1;

  public Outage(String loop, Logger log, Events events, Clock clock) {
    this(loop, log, events, clock, null);
  }

  /** Tells {@code signals} (if not null) when the database is back after an outage. */
  public Outage(String loop, Logger log, Events events, Clock clock, Signals signals) {
    this.loop = loop;
    this.log = log;
    this.events = events;
    this.clock = clock;
    this.signals = signals;
  }

  /**
   * Records a failure; returns true if it was the database being away or refusing for a while (see
   * {@link #isTransient}), reported once per outage; false for anything else, which the caller
   * reports every time. A lost lock race ({@link #isContention}) is no outage: it is logged at
   * debug level only and retried after the shortest backoff.
   */
  public synchronized boolean failed(Throwable t) {
    if (t instanceof StoreException && isContention(t)) {
      log.debug("{}: lost a lock race ({}); trying again", loop, t.getMessage());
      return true;
    }
    failures++;
    if (!(t instanceof StoreException) || !isTransient(t)) {
      return false;
    }
    if (since < 0) {
      since = clock.millis();
    }
    if (failures == 1) {
      events.emit(new PlatformEvent.DatabaseUnreachable(clock.instant(), loop, t.getMessage()));
      log.warn(
          "{}: database unavailable ({}); retrying with backoff until it returns",
          loop,
          t.getMessage());
    }
    return true;
  }

  public void recovered() {
    long began;
    long until;
    synchronized (this) {
      if (failures == 0) {
        return;
      }
      log.info("{}: database reachable again after {} failed attempt(s)", loop, failures);
      events.emit(new PlatformEvent.DatabaseReachable(clock.instant(), loop, failures));
      failures = 0;
      began = since;
      until = clock.millis();
      since = -1;
    }
    if (began >= 0 && signals != null) {
      signals.databaseBack(loop, began, until); // outside the lock: a listener may take a while
    }
  }

  /** When the current outage began (epoch millis), or -1 when there is none. */
  public synchronized long since() {
    return since;
  }

  /** How long to wait before the next try: 100 ms after one failure, doubling up to 5 s. */
  public synchronized long backoffMillis() {
    return Math.min(5_000L, 50L << Math.min(failures, 7));
  }

  /**
   * Whether the failure passes by itself: the database is unreachable, or it refused this try for a
   * reason that goes away (a deadlock, a lock wait timeout, a connection lost during the commit).
   * Such a batch is retried until it commits; only other failures (a statement the database
   * rejects) lead to {@code Completer.giveUp}, which must never turn a good outcome into a failure
   * because of a deadlock.
   */
  public static boolean isTransient(Throwable t) {
    if (isContention(t)) {
      return true;
    }
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof SQLRecoverableException
          || c instanceof SQLTransientException
          || c instanceof SQLNonTransientConnectionException
          || c instanceof SocketException) {
        return true;
      }
      if (c instanceof SQLException e
          && e.getSQLState() != null
          && e.getSQLState().startsWith("08")) {
        return true; // connection exception
      }
    }
    return false;
  }

  /**
   * Whether another transaction won a lock race: a deadlock (MySQL/MariaDB error 1213) or a lock
   * wait timeout (1205), or any transaction rollback (SQLSTATE class 40). The database is fine;
   * trying again at once is all it takes.
   */
  public static boolean isContention(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof SQLTransactionRollbackException) {
        return true;
      }
      if (c instanceof SQLException e
          && ((e.getSQLState() != null && e.getSQLState().startsWith("40"))
              || e.getErrorCode() == 1213
              || e.getErrorCode() == 1205)) {
        return true;
      }
    }
    return false;
  }
}
