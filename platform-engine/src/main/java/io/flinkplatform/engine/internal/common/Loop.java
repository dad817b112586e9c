package io.flinkplatform.engine.internal.common;

import io.flinkplatform.engine.event.PlatformEvent;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;

/**
 * The run-until-stopped skeleton every background loop shares: a named thread that runs its passes
 * in order, waits until the earliest time a pass asked for (or until {@link #wake woken}), and on a
 * failure (which ends the turn) reports it through {@link Outage} (a database outage once, anything
 * else every time as {@code UnexpectedError}) and waits either the outage backoff or the loop's
 * fixed period. The passes themselves ({@link Pass#runOnce}) hold no thread and can be called
 * directly: manual mode runs them from a test without starting this loop.
 */
public final class Loop {
  /** Returned by a pass that has no time of its own to ask for: the loop's poll decides. */
  public static final long IDLE = Long.MAX_VALUE;

  /** A started loop that completed no turn for this many poll intervals is stalled. */
  public static final int STALLED_AFTER_POLLS = 5;

  /** What {@link #status} finds. */
  public enum Status {
    /** Never started (manual mode, or a loop this instance does not run). */
    NOT_STARTED,
    /** Started and completing turns. */
    RUNNING,
    /** Started, not stopped, but no turn completed for {@link #STALLED_AFTER_POLLS} polls. */
    STALLED,
    /** Stopped on purpose, or its thread ended. */
    STOPPED
  }

  private final String name;
  private final Logger log;
  private final Events events;
  private final Clock clock;
  private final Timing timing;
  private final List<Pass> passes;
  private final Outage outage;
  private final Wakeup wakeup = new Wakeup();
  private volatile boolean running = true;
  private volatile Thread thread;
  private volatile long lastTurnNanos = System.nanoTime();

  /** One pass of a loop, run on the calling thread. */
  @FunctionalInterface
  public interface Pass {
    /**
     * Does one turn of the loop's work; returns how many milliseconds until it wants the next turn
     * (0 for at once, {@link #IDLE} for whenever the loop polls or is woken).
     */
    long runOnce() throws Exception;
  }

  /**
   * When the loop runs: the wait before its first pass, the longest wait between passes, and the
   * wait after a failed pass ({@code -1}: the outage backoff, which grows with repeated failures).
   */
  public record Timing(long initialDelayMillis, long pollMillis, long afterFailureMillis) {
    /** Woken by signals, at most {@code pollMillis} apart, backing off after failures. */
    public static Timing polling(long pollMillis) {
      return new Timing(0, pollMillis, -1);
    }

    /** Every {@code periodMillis} after the previous pass ended, failed or not (a fixed delay). */
    public static Timing every(long periodMillis) {
      return new Timing(periodMillis, periodMillis, periodMillis);
    }
  }

  public Loop(
      String name, Logger log, Events events, Clock clock, Timing timing, List<Pass> passes) {
    this(name, log, events, clock, timing, passes, null);
  }

  /** A loop that tells {@code signals} when it reaches the database again after an outage. */
  public Loop(
      String name,
      Logger log,
      Events events,
      Clock clock,
      Timing timing,
      List<Pass> passes,
      Signals signals) {
    this.name = name;
    this.log = log;
    this.events = events;
    this.clock = clock;
    this.timing = timing;
    this.passes = List.copyOf(passes);
    this.outage = new Outage(name, log, events, clock, signals);
  }

  /** Starts the loop on a daemon thread of its own. */
  public void start(String threadName) {
    lastTurnNanos = System.nanoTime();
    Thread t = new Thread(this::run, threadName);
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  /** Runs the next pass now, or as soon as the current one ended. */
  public void wake() {
    wakeup.signal();
  }

  /** Ends the loop after its current pass; {@code interrupt} interrupts that pass too. */
  public void stop(boolean interrupt) {
    running = false;
    wakeup.signal();
    Thread t = thread;
    if (interrupt && t != null) {
      t.interrupt();
    }
  }

  /** Waits up to {@code millis} for the loop's thread to end (at once if it never started). */
  public void join(long millis) {
    Thread t = thread;
    if (t == null) {
      return;
    }
    try {
      t.join(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether its thread ended (or never started). */
  public boolean ended() {
    Thread t = thread;
    return t == null || !t.isAlive();
  }

  /** The name events and logs give the loop. */
  public String name() {
    return name;
  }

  /**
   * Whether the loop runs and completes turns, as of {@code nowNanos} ({@link System#nanoTime()}):
   * a turn that failed (the database is away) completes nothing, so a loop in an outage ends up
   * {@link Status#STALLED} too.
   */
  public Status status(long nowNanos) {
    Thread t = thread;
    if (t == null) {
      return running ? Status.NOT_STARTED : Status.STOPPED;
    }
    if (!running) {
      return Status.STOPPED;
    }
    if (!t.isAlive()) {
      return Status.STALLED; // ended although not stopped: it completes no turn any more
    }
    long limit =
        (timing.initialDelayMillis() + STALLED_AFTER_POLLS * timing.pollMillis()) * 1_000_000L;
    return nowNanos - lastTurnNanos > limit ? Status.STALLED : Status.RUNNING;
  }

  private void run() {
    try {
      if (timing.initialDelayMillis() > 0) {
        wakeup.await(timing.initialDelayMillis());
      }
      while (running) {
        long wait = timing.pollMillis();
        try {
          for (Pass p : passes) {
            wait = Math.min(wait, p.runOnce());
            // after each pass that went through: a pass failing later in the turn (say, under a
            // flaky database) backs off from a first failure, not from a growing count of them
            outage.recovered();
          }
          lastTurnNanos = System.nanoTime();
        } catch (InterruptedException e) {
          throw e;
        } catch (Throwable t) {
          report(t);
          wait =
              timing.afterFailureMillis() < 0
                  ? outage.backoffMillis()
                  : timing.afterFailureMillis();
        }
        if (wait > 0 && running) {
          wakeup.await(wait);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void report(Throwable t) {
    if (!outage.failed(t)) {
      events.emit(new PlatformEvent.UnexpectedError(clock.instant(), name, t));
      log.error("{} failed; carrying on", name, t);
    }
  }
}
