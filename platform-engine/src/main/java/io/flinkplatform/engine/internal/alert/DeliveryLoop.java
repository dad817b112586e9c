package io.flinkplatform.engine.internal.alert;

import static java.util.Objects.requireNonNull;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.flinkplatform.engine.StoreException;
import io.flinkplatform.engine.alert.AlertSettings;
import io.flinkplatform.engine.alert.DeliveryState;
import io.flinkplatform.engine.internal.alert.Outbox.Claimed;
import io.flinkplatform.engine.internal.alert.Outbox.Outcome;
import io.flinkplatform.engine.internal.common.Loop;
import io.flinkplatform.engine.internal.common.Signals;
import io.flinkplatform.engine.internal.store.Store;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pass of the alert delivery loop: turns held alerts whose window ended into digests, claims
 * due deliveries up to twice the send threads (silences and rate limits are decided in the claim),
 * and sends each claimed one on a small pool of its own, outside any transaction, then records the
 * outcome under the claim's epoch. An instance that dies between a send and its record leaves the
 * claim to lapse with its lease; another instance sends again with the same idempotency key.
 */
public final class DeliveryLoop implements Loop.Pass {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryLoop.class);
  private final Outbox outbox;
  private final Digests digests;
  private final Sender sender;
  private final Clock clock;
  private final Signals signals;
  private final AlertSettings settings;
  private final String instanceName;
  private final int capacity;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final ExecutorService pool;

  public DeliveryLoop(
      Store store,
      ChannelRegistry channels,
      io.flinkplatform.spi.Secrets secrets,
      Clock clock,
      Signals signals,
      String owner,
      String instanceName,
      AlertSettings settings,
      io.flinkplatform.engine.internal.metrics.Meters meters) {
    this.settings = requireNonNull(settings, "settings is null");
    this.outbox = new Outbox(requireNonNull(store, "store is null"), owner, settings);
    this.digests = new Digests(store);
    this.clock = requireNonNull(clock, "clock is null");
    this.sender = new Sender(channels, secrets, settings, clock, meters);
    this.signals = requireNonNull(signals, "signals is null");
    this.instanceName = instanceName;
    // only as many claims as free senders: a claimed row waiting in a queue would use up its
    // lease before its send starts
    this.capacity = settings.threads();
    this.pool =
        Executors.newFixedThreadPool(
            settings.threads(),
            new ThreadFactoryBuilder().setNameFormat("fp-alert-send-%d").setDaemon(true).build());
  }

  /**
   * One turn: digests, then a claim of what the free send slots take. Idle (nothing due) it reads
   * once and writes nothing.
   */
  /**
   * The digests of the windows that ended; a digest that cannot be written (a race on its key, a
   * held row that does not read) is logged and the claim goes on, so that one group never holds up
   * the other workspaces' alerts. The database being away is the loop's to report.
   */
  private int digestsOf(long now) {
    try {
      return digests.digest(now);
    } catch (io.flinkplatform.engine.StoreException e) {
      throw e;
    } catch (RuntimeException e) {
      LOG.warn("[{}] could not write the due alert digests; claiming goes on", instanceName, e);
      return 0;
    }
  }

  @Override
  public long runOnce() {
    long now = clock.millis();
    List<String> due = outbox.due(now, capacity + 1);
    if (due.isEmpty()) {
      return Loop.IDLE;
    }
    if (due.contains(DeliveryState.HELD.name()) && digestsOf(now) > 0) {
      return 0; // the digests (or released alerts) are due now
    }
    int free = capacity - inFlight.get();
    if (free <= 0 || !due.contains(DeliveryState.PENDING.name())) {
      return Loop.IDLE; // a send that ends wakes the loop
    }
    List<Claimed> claimed = outbox.claim(now, free);
    for (Claimed c : claimed) {
      inFlight.incrementAndGet();
      try {
        pool.execute(() -> send(c));
      } catch (RuntimeException e) { // stopping: the claim lapses with its lease
        inFlight.decrementAndGet();
        throw e;
      }
    }
    return Loop.IDLE;
  }

  private void send(Claimed c) {
    try {
      Outcome o = sender.send(c);
      if (!mark(c, o)) {
        LOG.info(
            "[{}] alert {} to channel '{}': another instance took the delivery over (epoch {} is"
                + " stale); {} not recorded",
            instanceName,
            c.delivery().alertId,
            c.delivery().channelName,
            c.delivery().epoch,
            o.state());
      } else if (o.state() == DeliveryState.FAILED) {
        LOG.warn(
            "[{}] alert {} to channel '{}' of workspace '{}' FAILED after {} attempt(s): {}",
            instanceName,
            c.delivery().alertId,
            c.delivery().channelName,
            c.delivery().workspace,
            c.delivery().attempts,
            o.error());
      } else {
        LOG.debug(
            "[{}] alert {} to channel '{}': {}",
            instanceName,
            c.delivery().alertId,
            c.delivery().channelName,
            o.state());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (StoreException e) {
      LOG.warn(
          "[{}] cannot record the delivery of alert {} to channel '{}'; it is sent again once its"
              + " lease ends: {}",
          instanceName,
          c.delivery().alertId,
          c.delivery().channelName,
          e.getMessage());
    } catch (Throwable t) {
      // the claim lapses with its lease and another turn sends again
      LOG.error(
          "[{}] recording the delivery of alert {} to channel '{}' failed; it is sent again once"
              + " its lease ends",
          instanceName,
          c.delivery().alertId,
          c.delivery().channelName,
          t);
    } finally {
      inFlight.decrementAndGet();
      signals.alertsDue();
    }
  }

  /**
   * Records the outcome; a failed write (the database away for a moment) is tried again while the
   * claim's lease lasts, since a send left unrecorded is sent again once the lease lapsed. Past the
   * lease the last failure is thrown.
   */
  private boolean mark(Claimed c, Outcome o) throws InterruptedException {
    long leaseEnd = c.claimedNanos() + settings.lease().toNanos();
    while (true) {
      try {
        return outbox.mark(c, o, clock.millis());
      } catch (StoreException e) {
        long left = leaseEnd - System.nanoTime();
        if (left <= 0) {
          throw e;
        }
        LOG.debug("[{}] recording a send failed, trying again: {}", instanceName, e.getMessage());
        TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(500)));
      }
    }
  }

  /** Sends claimed and not yet sent: whether none is left. */
  public boolean idle() {
    return inFlight.get() == 0;
  }

  /**
   * Stops the send pool: sends under way get up to the send timeout to end and be recorded; what is
   * left (claimed, unsent or unrecorded) is sent again after its lease by any instance.
   */
  public void stop() {
    pool.shutdown();
    try {
      if (!pool.awaitTermination(
          settings.sendTimeout().toMillis() + 1_000, TimeUnit.MILLISECONDS)) {
        pool.shutdownNow();
        LOG.warn(
            "[{}] {} alert send(s) did not end in time; they are sent again after their lease",
            instanceName,
            inFlight.get());
      }
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
