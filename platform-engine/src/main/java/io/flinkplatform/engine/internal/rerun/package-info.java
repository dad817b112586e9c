/**
 * Reruns and manual marks of a finished (or running) run: {@link
 * io.flinkplatform.engine.internal.rerun.Reruns} checks a request against the run and {@link
 * io.flinkplatform.engine.internal.rerun.RerunPlan} turns the run model's scope and decisions
 * (which tasks get a new attempt, which are marked, what becomes READY, SKIPPED or UPSTREAM_FAILED)
 * into rows, in the caller's transaction.
 *
 * <p>It owns nothing of its own beyond the request checks. It may call {@code model}, {@code
 * progress} (events and run restarts), {@code definition} and {@code store}; {@code command} calls
 * it.
 */
package io.flinkplatform.engine.internal.rerun;
