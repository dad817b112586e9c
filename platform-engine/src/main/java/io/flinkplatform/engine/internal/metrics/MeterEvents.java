package io.flinkplatform.engine.internal.metrics;

import io.flinkplatform.engine.event.PlatformEvent;
import io.flinkplatform.engine.event.PlatformListener;
import io.flinkplatform.engine.run.RunState;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts what the instance's events say, on the event delivery thread (never an engine thread):
 * runs started and ended, stale writes rejected, and database outages with their duration (from a
 * loop's {@code DatabaseUnreachable} to its {@code DatabaseReachable}). Registered as a listener
 * only when meters are enabled.
 */
public final class MeterEvents implements PlatformListener {
  private final Meters meters;

  // the delivery thread's: when each loop's current outage began
  private final Map<String, Instant> outageSince = new HashMap<>();

  public MeterEvents(Meters meters) {
    this.meters = meters;
  }

  @Override
  public void onEvent(PlatformEvent event) {
    if (event instanceof PlatformEvent.RunStateChanged r) {
      if (r.state() == RunState.RUNNING) {
        meters.runStarted(r.workflowName());
      } else if (r.state().isFinal()) {
        meters.runEnded(r.workflowName(), r.state());
      }
    } else if (event instanceof PlatformEvent.StaleWriteRejected) {
      meters.staleWriteRejected();
    } else if (event instanceof PlatformEvent.DatabaseUnreachable u) {
      outageSince.putIfAbsent(u.loop(), u.at());
      meters.outageStarted(u.loop());
    } else if (event instanceof PlatformEvent.DatabaseReachable r) {
      Instant since = outageSince.remove(r.loop());
      if (since != null) {
        meters.outageEnded(r.loop(), r.at().toEpochMilli() - since.toEpochMilli());
      }
    }
  }

  @Override
  public String toString() {
    return "meters";
  }
}
