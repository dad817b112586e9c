package io.flinkplatform.engine.event;

/**
 * Receives {@link PlatformEvent events} after the change they describe was committed. Called on
 * engine threads: return quickly. An exception thrown here is logged and ignored.
 */
@FunctionalInterface
public interface PlatformListener {
  void onEvent(PlatformEvent event);
}
