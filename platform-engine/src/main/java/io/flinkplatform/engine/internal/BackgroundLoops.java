package io.flinkplatform.engine.internal;

import io.flinkplatform.engine.PlatformSettings;
import io.flinkplatform.engine.internal.claim.Fencing;
import io.flinkplatform.engine.internal.common.Loop;
import io.flinkplatform.engine.internal.common.Loop.Timing;
import io.flinkplatform.engine.internal.common.Signals;
import io.flinkplatform.engine.internal.housekeeping.Housekeeper;
import io.flinkplatform.engine.internal.lease.Heartbeat;
import io.flinkplatform.engine.internal.lease.LeaseWatchdog;
import io.flinkplatform.engine.internal.metrics.QueueDepth;
import io.flinkplatform.engine.internal.schedule.FireWhenDue;
import io.flinkplatform.engine.internal.schedule.ScheduleLoop;
import io.flinkplatform.engine.internal.worker.Dispatcher;
import io.flinkplatform.engine.internal.worker.ExternalPoller;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background loops of one instance on threads of their own, each a {@link Loop} over the
 * components' passes: the scheduler (firing, then admission), the dispatcher, the external poller,
 * the heartbeat (renewal, then the reaper and priority ageing), the sweep for stranded runs (on a
 * thread of its own: its query grows with the table, and must never hold a renewal back), the lease
 * watchdog, with retention on housekeeping, and with alerts on the alert delivery. The completer
 * keeps its own thread (it retries a batch rather than backing off a pass). Built in manual mode
 * too, where only the wake-ups registered here are used and no thread starts.
 */
final class BackgroundLoops {
  private static final Logger LOG = LoggerFactory.getLogger(BackgroundLoops.class);
  private final PlatformSettings settings;
  private final Components c;
  private final Loop scheduler;
  private final Loop dispatcher;
  private final Loop poller;
  private final Loop heartbeat;
  private final Loop stranded;
  private final Loop watchdog;
  private final Loop housekeeping;
  private final Loop delivery; // alerts: delivery (null when alerts are off)
  private final Loop alertScan; // alerts: overdue and deadline scan (part C2 alert-sla)
  private final Loop metrics;
  private volatile Thread completer;
  private volatile boolean started;

  BackgroundLoops(PlatformSettings settings, Components c) {
    this.settings = settings;
    this.c = c;
    Clock clock = settings.clock();
    long poll = settings.pollInterval().toMillis();
    long lease = settings.leaseDuration().toMillis();
    FireWhenDue firing = new FireWhenDue(c.schedules(), clock, poll);
    scheduler =
        new Loop(
            "scheduler",
            LoggerFactory.getLogger(ScheduleLoop.class),
            c.events(),
            clock,
            Timing.polling(poll),
            List.of(firing, c.admission()),
            c.signals());
    dispatcher =
        new Loop(
            "dispatcher",
            LoggerFactory.getLogger(Dispatcher.class),
            c.events(),
            clock,
            Timing.polling(poll),
            List.of(c.dispatcher()),
            c.signals());
    poller =
        new Loop(
            "external poller",
            LoggerFactory.getLogger(ExternalPoller.class),
            c.events(),
            clock,
            Timing.polling(poll),
            List.of(c.poller()),
            c.signals());
    heartbeat =
        new Loop(
            "heartbeat",
            LoggerFactory.getLogger(Heartbeat.class),
            c.events(),
            clock,
            Timing.every(settings.heartbeatInterval().toMillis()),
            List.of(c.heartbeat(), c.reaper(), c.ageing()),
            c.signals());
    stranded =
        new Loop(
            "stranded-run sweep",
            LoggerFactory.getLogger(io.flinkplatform.engine.internal.progress.StrandedRuns.class),
            c.events(),
            clock,
            Timing.every(settings.heartbeatInterval().toMillis()),
            List.of(c.stranded()),
            c.signals());
    watchdog =
        new Loop(
            "lease watchdog",
            LoggerFactory.getLogger(LeaseWatchdog.class),
            c.events(),
            clock,
            Timing.every(Fencing.periodMillis(lease)),
            List.of(c.leaseWatchdog()),
            c.signals());
    housekeeping =
        c.housekeeper() == null
            ? null
            : new Loop(
                "housekeeping",
                LoggerFactory.getLogger(Housekeeper.class),
                c.events(),
                clock,
                Timing.every(settings.housekeepingInterval().toMillis()),
                List.of(c.housekeeper()),
                c.signals());
    delivery =
        c.delivery() == null
            ? null
            : new Loop(
                "alert delivery",
                LoggerFactory.getLogger(io.flinkplatform.engine.internal.alert.DeliveryLoop.class),
                c.events(),
                clock,
                Timing.polling(settings.alerts().pollInterval().toMillis()),
                List.of(c.delivery()),
                c.signals());
    // alerts: overdue and deadline scan (part C2 alert-sla)
    alertScan =
        c.alertScan() == null
            ? null
            : new Loop(
                "alert scan",
                LoggerFactory.getLogger(io.flinkplatform.engine.internal.alert.OverdueScan.class),
                c.events(),
                clock,
                Timing.every(settings.alerts().scanInterval().toMillis()),
                List.of(c.alertScan()),
                c.signals());
    metrics =
        c.queueDepth() == null
            ? null
            : new Loop(
                "metrics",
                LoggerFactory.getLogger(QueueDepth.class),
                c.events(),
                clock,
                Timing.every(QueueDepth.periodMillis(poll)),
                List.of(c.queueDepth()),
                c.signals());
    Signals signals = c.signals();
    if (delivery != null) {
      signals.onAlertsDue(delivery::wake);
    }
    signals.onWorkReady(
        at -> {
          c.dispatcher().readyAt(at);
          dispatcher.wake();
        });
    signals.onSlotFreed(dispatcher::wake);
    signals.onRunClosed(scheduler::wake);
    signals.onScheduleChanged(
        () -> {
          firing.changed();
          scheduler.wake();
        });
    signals.onPollDue(poller::wake);
  }

  /** Starts every loop's thread (the scheduler only on an instance with worker threads). */
  void start() {
    started = true;
    completer = new Thread(c.completer(), "fp-completer");
    completer.setDaemon(true);
    completer.start();
    dispatcher.start("fp-dispatcher");
    poller.start("fp-external-poller");
    if (settings.workerThreads() > 0) {
      scheduler.start("fp-scheduler");
    }
    heartbeat.start("fp-heartbeat");
    stranded.start("fp-stranded-runs");
    watchdog.start("fp-lease-watchdog");
    if (housekeeping != null) {
      housekeeping.start("fp-housekeeping");
    }
    if (delivery != null) {
      delivery.start("fp-alert-delivery");
    }
    if (alertScan != null) {
      alertScan.start("fp-alert-scan");
    }
    if (metrics != null) {
      metrics.start("fp-metrics");
    }
  }

  /**
   * Stops claiming alert deliveries and gives the sends under way their send timeout to end and be
   * recorded (what is left is sent again after its lease).
   */
  void stopDelivery() {
    if (delivery == null) {
      return;
    }
    delivery.stop(false);
    delivery.join(5_000);
    c.delivery().stop();
  }

  /** Stops the overdue and deadline scan, waiting for its pass (part C2 alert-sla). */
  void stopAlertScan() {
    if (alertScan != null) {
      alertScan.stop(true);
      alertScan.join(5_000);
    }
  }

  /** Whether {@link #start} ran (not in manual mode). */
  boolean started() {
    return started;
  }

  /** Every loop of this instance, for the health check. */
  List<Loop> all() {
    List<Loop> all = new java.util.ArrayList<>(List.of(scheduler, dispatcher, poller, heartbeat));
    all.add(stranded);
    all.add(watchdog);
    if (housekeeping != null) {
      all.add(housekeeping);
    }
    if (delivery != null) {
      all.add(delivery);
    }
    if (alertScan != null) {
      all.add(alertScan);
    }
    if (metrics != null) {
      all.add(metrics);
    }
    return all;
  }

  /** The completer's thread, null before {@link #start} (and in manual mode). */
  Thread completerThread() {
    return completer;
  }

  /**
   * Stops firing schedules and claiming work, waiting for the current passes to end. In manual mode
   * the external poller starts now, so that external attempts handed back while stopping see their
   * next poll.
   */
  void stopFiringAndClaiming() {
    if (!started) {
      poller.start("fp-external-poller");
    }
    c.schedules().stopFiring();
    scheduler.stop(false);
    scheduler.join(5_000);
    dispatcher.stop(false);
    dispatcher.join(5_000);
  }

  /**
   * Stops renewing leases, reaping, the stranded-run sweep, housekeeping and self-fencing (their
   * passes interrupted).
   */
  void stopLeases() {
    heartbeat.stop(true);
    stranded.stop(true);
    stranded.join(5_000);
    if (housekeeping != null) {
      housekeeping.stop(true);
      housekeeping.join(5_000);
      if (!housekeeping.ended()) {
        LOG.warn("[{}] housekeeping did not end within 5 s", settings.instanceName());
      }
    }
    watchdog.stop(true);
    if (metrics != null) {
      metrics.stop(true);
    }
  }

  /**
   * Commits what the completer holds and stops it; in manual mode (no thread) the queue is
   * committed on the calling thread.
   */
  void stopCompleter() {
    c.completer().stop();
    if (completer != null) {
      try {
        completer.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } else {
      c.completer().runOnce();
    }
  }

  /** Stops polling external work (its next owner re-attaches). */
  void stopPolling() {
    poller.stop(true);
  }
}
