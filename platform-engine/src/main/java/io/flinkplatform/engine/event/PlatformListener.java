package io.flinkplatform.engine.event;

/**
 * Receives {@link PlatformEvent events} after the change they describe was committed. Called in
 * emission order on the instance's one event thread, never on the engine's own threads: a slow
 * listener delays only later events, and while it lags, events beyond the queue's capacity are
 * dropped (counted in {@code Platform.stats()}). Anything thrown here is logged and ignored.
 */
@FunctionalInterface
public interface PlatformListener {
  void onEvent(PlatformEvent event);
}
