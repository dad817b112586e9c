package io.flinkplatform.engine.internal.alert;

import io.flinkplatform.engine.event.PlatformEvent;
import io.flinkplatform.engine.internal.store.StoreMapper;
import java.util.List;

/**
 * Turns committed-with-it changes into alerts: called inside the transaction of a change with the
 * events it will emit, it writes one alert (and a delivery per channel) for every enabled rule that
 * matches an event, so that the alert exists exactly when the change does. It costs no statement
 * when no rule of the events' kinds exists.
 */
public class AlertRaiser {
  /** Raises nothing. */
  public static final AlertRaiser NONE = new AlertRaiser();

  /** Inside the caller's transaction: writes the alerts that {@code events} raise. */
  public void raise(StoreMapper m, List<? extends PlatformEvent> events, long now) {}
}
