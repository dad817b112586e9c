package io.flinkplatform.engine.testing;

import io.flinkplatform.engine.PlatformException;

/**
 * {@link ManualPlatform#runUntilIdle()} ran its bound of passes and every one still did work: a
 * workflow that never settles at the clock's current time (a task that always makes more work, a
 * schedule or retry loop that is due again at once), or a bound too small for the workflow. The
 * message names the bound and what the last pass did.
 */
public final class NotIdleException extends PlatformException {
  private final int passes;
  private final Tick lastPass;

  NotIdleException(int passes, Tick lastPass) {
    super(
        "the platform did not become idle within "
            + passes
            + " passes; busy in the last one: "
            + String.join(", ", lastPass.busy())
            + " (raise ManualPlatform.Builder.maxPasses if the workflow needs more)");
    this.passes = passes;
    this.lastPass = lastPass;
  }

  /** The passes run, all of them busy. */
  public int passes() {
    return passes;
  }

  /** What the last pass did. */
  public Tick lastPass() {
    return lastPass;
  }
}
