package io.flinkplatform.engine.internal.schedule;

import io.flinkplatform.engine.internal.common.Loop;
import io.flinkplatform.engine.internal.store.Store;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Priority ageing: a READY attempt gains a priority step for every ageing period it waited, so that
 * a steady stream of high-priority work never starves the rest. Runs at most every quarter of the
 * period by the platform's clock (0 turns ageing off); every instance may run it, the statement
 * decides from the ready times.
 */
public final class PriorityAgeing implements Loop.Pass {
  private static final Logger LOG = LoggerFactory.getLogger(PriorityAgeing.class);
  private final Store store;
  private final Clock clock;
  private final long ageingMillis;
  private long lastAged;

  public PriorityAgeing(Store store, Clock clock, long ageingMillis) {
    this.store = store;
    this.clock = clock;
    this.ageingMillis = ageingMillis;
    this.lastAged = clock.millis();
  }

  /** One pass: ages the ready attempts if a quarter period passed since the last time. */
  @Override
  public long runOnce() {
    long now = clock.millis();
    if (ageingMillis > 0 && now - lastAged >= Math.max(1, ageingMillis / 4)) {
      lastAged = now;
      int aged = store.tx("age ready attempts", m -> m.ageReady(now, ageingMillis));
      if (aged > 0) {
        LOG.debug("{} ready attempt(s) gained a priority step by waiting", aged);
      }
    }
    return Loop.IDLE;
  }
}
