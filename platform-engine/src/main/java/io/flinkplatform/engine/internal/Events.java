package io.flinkplatform.engine.internal;

import io.flinkplatform.engine.event.PlatformEvent;
import io.flinkplatform.engine.event.PlatformListener;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands events to the listeners; a failing listener is logged and never breaks the engine. */
final class Events {
  private static final Logger LOG = LoggerFactory.getLogger(Events.class);
  private final List<PlatformListener> listeners;

  Events(List<PlatformListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  void emit(PlatformEvent event) {
    for (PlatformListener l : listeners) {
      try {
        l.onEvent(event);
      } catch (RuntimeException e) {
        LOG.warn("listener {} failed on {}", l, event, e);
      }
    }
  }

  void emitAll(List<? extends PlatformEvent> events) {
    events.forEach(this::emit);
  }
}
