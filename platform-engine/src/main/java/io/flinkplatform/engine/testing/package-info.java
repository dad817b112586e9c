/**
 * A testkit for hosts and plugin authors, shipped in the engine's jar.
 *
 * <ul>
 *   <li>{@link io.flinkplatform.engine.testing.ManualPlatform}: a platform on a real database whose
 *       background loops run only when the test calls {@code tick()} or {@code runUntilIdle()}, on
 *       the test's thread, with a {@link io.flinkplatform.engine.testing.ManualClock} the test
 *       moves. Schedules, misfires and retry delays become deterministic.
 *   <li>{@link io.flinkplatform.engine.testing.TestTaskContext}: a {@code TaskContext} to unit-test
 *       a task type without an engine.
 *   <li>{@link io.flinkplatform.engine.testing.ManualClock}: a clock that moves only when told, for
 *       a {@code Platform} of one's own too.
 * </ul>
 *
 * <p>See docs/testing.md. Nothing in the engine uses this package; it uses the engine's public API,
 * and its manual mode through {@code LoopDriver} alone.
 */
package io.flinkplatform.engine.testing;
