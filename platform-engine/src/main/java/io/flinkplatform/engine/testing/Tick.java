package io.flinkplatform.engine.testing;

import java.util.List;

/**
 * What one pass of {@link ManualPlatform#tick()} did: the loops that were busy, in the order the
 * pass ran them. A loop is busy when it changed the platform's progress (a schedule fired, a run
 * was admitted, attempts were claimed and ran, outcomes were committed, a lapsed lease was reaped,
 * an external attempt ended or released its downstream, retention deleted runs). A pass with no
 * busy loop ({@link #idle()}) means nothing is runnable at the clock's time: what is left waits for
 * the clock (a retry delay, a fire time) or for something outside the platform.
 *
 * <p>The loops' names: {@code schedule}, {@code admission}, {@code dispatcher}, {@code
 * external-poller}, {@code completer}, {@code heartbeat}, {@code reaper}, {@code priority-ageing},
 * {@code stranded-runs}, {@code lease-watchdog} and, with retention on, {@code housekeeping}.
 *
 * @param busy the busy loops' names, in the pass's order
 */
public record Tick(List<String> busy) {
  /** A pass in which no loop was busy. */
  public static final Tick IDLE = new Tick(List.of());

  public Tick {
    busy = List.copyOf(busy);
  }

  /** Whether no loop was busy. */
  public boolean idle() {
    return busy.isEmpty();
  }

  @Override
  public String toString() {
    return idle() ? "Tick[idle]" : "Tick[busy: " + String.join(", ", busy) + "]";
  }
}
