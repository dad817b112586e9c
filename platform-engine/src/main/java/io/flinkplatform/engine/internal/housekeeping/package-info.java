/**
 * Retention: the {@link io.flinkplatform.engine.internal.housekeeping.Housekeeper} deletes finished
 * runs older than the retention age (one instance at a time, under the lease in {@code
 * t_housekeeping}) and the task logs of runs that no longer exist, in this instance's log
 * directory.
 *
 * <p>It owns the housekeeping lease. It may call {@code store}, {@code worker} (the task log
 * directory) and {@code common}; only the engine's wiring calls it.
 */
package io.flinkplatform.engine.internal.housekeeping;
