package io.flinkplatform.engine.testing;

import io.flinkplatform.engine.InstanceStats;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.PlatformException;
import io.flinkplatform.engine.PlatformSettings;
import io.flinkplatform.engine.internal.Engine;
import io.flinkplatform.engine.internal.ManualLoops;
import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.Workspaces;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine of a {@link ManualPlatform}, started in the engine's manual mode (everything wired, no
 * loop thread), and one pass over its loops: each loop's pass on the calling thread, in data-path
 * order, waiting after each for the attempts and plugin calls it started and for their outcomes'
 * commit. A pass counts as busy when it changed the platform's progress ({@link Fingerprint}).
 */
final class LoopDriver implements AutoCloseable {
  /** How long one pass may wait for its attempts, plugin calls and events before it fails. */
  static final Duration QUIET_TIMEOUT = Duration.ofMinutes(5);

  private final Engine engine;
  private final ManualLoops loops;
  private final Fingerprint fingerprint;

  private LoopDriver(Engine engine, ManualLoops loops, Fingerprint fingerprint) {
    this.engine = engine;
    this.loops = loops;
    this.fingerprint = fingerprint;
  }

  /** Starts the engine of {@code settings} in manual mode. */
  static LoopDriver start(PlatformSettings settings) {
    Engine engine = new Engine(settings);
    ManualLoops loops = engine.startManual();
    return new LoopDriver(engine, loops, new Fingerprint(loops.dataSource()));
  }

  PlatformClient client() {
    return engine.client(Actor.SYSTEM, Workspaces.DEFAULT);
  }

  PlatformClient client(Actor actor, String workspace) {
    return engine.client(actor, workspace);
  }

  io.flinkplatform.engine.access.Users users(Actor actor) {
    return engine.users(actor);
  }

  io.flinkplatform.engine.access.Authenticator authenticator() {
    return engine.authenticator();
  }

  InstanceStats stats() {
    return engine.stats();
  }

  /** One pass of every loop; returns the names of the busy ones. */
  List<String> tick() {
    List<String> busy = new ArrayList<>();
    String before = fingerprint.read();
    try {
      for (String name : loops.names()) {
        loops.runOnce(name);
        awaitQuiet(name);
        String after = fingerprint.read();
        if (!after.equals(before)) {
          busy.add(name);
        }
        before = after;
      }
      if (!loops.awaitEventsDelivered(QUIET_TIMEOUT)) {
        throw new PlatformException(
            "the listeners did not take the events of a tick within " + QUIET_TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PlatformException("interrupted in a tick", e);
    } catch (PlatformException e) {
      throw e;
    } catch (Exception e) {
      throw new PlatformException("a pass of the manual platform failed: " + e.getMessage(), e);
    }
    return busy;
  }

  private void awaitQuiet(String pass) throws InterruptedException {
    if (!loops.awaitQuiet(QUIET_TIMEOUT)) {
      throw new PlatformException(
          "after the "
              + pass
              + " pass, attempts or plugin calls still ran after "
              + QUIET_TIMEOUT
              + ": a task that does not end blocks the manual platform");
    }
  }

  @Override
  public void close() {
    engine.stop();
  }
}
