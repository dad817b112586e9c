/**
 * The engine's machinery behind {@link io.flinkplatform.engine.Platform}; nothing here is API. This
 * root package only wires and runs one instance: {@link io.flinkplatform.engine.internal.Engine}
 * starts and stops it, {@link io.flinkplatform.engine.internal.Components} builds every component
 * in dependency order (the one place the engine is wired), {@link
 * io.flinkplatform.engine.internal.BackgroundLoops} runs the background loops on their threads or
 * {@link io.flinkplatform.engine.internal.ManualLoops} hands their passes to a test, and {@link
 * io.flinkplatform.engine.internal.OrderedStop} stops them in order. It also owns the instance's
 * own connection pool, the plugins' lifecycle and the instance's {@code t_worker} row.
 *
 * <p>The data path, one sub-package per step: {@code definition} (deploy, validate, cache versions)
 * &rarr; {@code schedule} (fire schedules, admit held runs) &rarr; {@code worker} (claim, run,
 * external work, logs) &rarr; {@code progress} (commit outcomes, advance downstream, close runs)
 * &rarr; {@code lease} (renew, self-fence, reap) &rarr; {@code housekeeping} (retention); with
 * {@code rerun}, {@code query} (the client facade, explain), {@code store} (every SQL statement)
 * and {@code common} (events, loops, signals) beside them.
 *
 * <p>This root package may call every sub-package; only {@code Platform} calls it, and no
 * sub-package calls it back (what flows back goes through {@code common.Signals}).
 */
package io.flinkplatform.engine.internal;
