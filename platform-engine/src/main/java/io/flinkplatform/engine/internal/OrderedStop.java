package io.flinkplatform.engine.internal;

import io.flinkplatform.engine.PlatformSettings;
import io.flinkplatform.engine.internal.worker.CancelSignal.Cause;
import io.flinkplatform.engine.internal.worker.Executor;
import io.flinkplatform.engine.internal.worker.LocalAttempt;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops one instance's machinery in order: no more firing or claiming; unstarted attempts handed
 * back at once; running ones given the shutdown grace period, then handed back; no more renewing,
 * reaping or housekeeping; the outcomes committed; the pools stopped; the task logs' last parts
 * shipped (when logs are shared); the worker row marked stopped. What is still running after that
 * is left to its lease, which another instance takes over when it lapses. Plugins, the pool and the
 * event thread are the {@link Engine}'s to stop.
 */
final class OrderedStop {
  private static final Logger LOG = LoggerFactory.getLogger(OrderedStop.class);
  private final PlatformSettings settings;
  private final Components c;
  private final BackgroundLoops loops;
  private final WorkerRegistration registration;

  OrderedStop(
      PlatformSettings settings,
      Components c,
      BackgroundLoops loops,
      WorkerRegistration registration) {
    this.settings = settings;
    this.c = c;
    this.loops = loops;
    this.registration = registration;
  }

  void run() {
    loops.stopFiringAndClaiming();
    loops.stopDelivery(); // alerts: delivery
    loops.stopAlertScan(); // alerts (part C2 alert-sla)
    handBackAttempts(c.executor());
    loops.stopLeases();
    loops.stopCompleter();
    shutdown(c.pools().workers(), "workers");
    shutdown(c.pools().timers(), "timers");
    loops.stopPolling();
    c.executor().stop();
    c.logs().stopShipping();
    registration.deregister();
    int running = c.executor().attempts().size();
    int uncommitted = c.completer().pending();
    if (running > 0 || uncommitted > 0) {
      LOG.warn(
          "[{}] stopped with {} attempt(s) still running and {} result(s) uncommitted; "
              + "their leases will lapse and another instance will take them over",
          settings.instanceName(),
          running,
          uncommitted);
    }
  }

  /**
   * Hands back unstarted attempts at once, waits up to the shutdown grace period for the running
   * ones, hands back what still runs and waits up to 10 s for those to end.
   */
  private void handBackAttempts(Executor executor) {
    long deadline = System.nanoTime() + settings.shutdownGracePeriod().toNanos();
    for (LocalAttempt la : executor.attempts()) {
      if (la.thread == null) {
        executor.cancel(la, Cause.RELEASE, "instance stopping before the attempt started");
      }
    }
    awaitNoAttempts(executor, deadline);
    List<LocalAttempt> left = List.copyOf(executor.attempts());
    for (LocalAttempt la : left) {
      executor.cancel(la, Cause.RELEASE, "instance stopping");
    }
    if (!left.isEmpty()) {
      LOG.info(
          "[{}] handing back {} running attempt(s) after the grace period",
          settings.instanceName(),
          left.size());
    }
    awaitNoAttempts(executor, System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
  }

  private static void awaitNoAttempts(Executor executor, long deadlineNanos) {
    try {
      while (!executor.attempts().isEmpty() && deadlineNanos - System.nanoTime() > 0) {
        Thread.sleep(20);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void shutdown(ExecutorService pool, String what) {
    pool.shutdownNow();
    try {
      if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("[{}] {} did not end within 5 s", settings.instanceName(), what);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
