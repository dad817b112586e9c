/**
 * What a claim is and how long it may be trusted: a {@link
 * io.flinkplatform.engine.internal.claim.Claim} is an attempt this instance claimed (its row with
 * the new epoch, its run, and the monotonic time by which it must be given up); {@link
 * io.flinkplatform.engine.internal.claim.Fencing} is the self-fencing bound (the lease minus a
 * margin) that decides whether work may still start; {@link
 * io.flinkplatform.engine.internal.claim.LeaseClock} estimates the database's clock for ready times
 * and schedules.
 *
 * <p>It owns the meaning of the epoch and lease columns as one instance sees them. It may call only
 * {@code store}; {@code progress}, {@code worker}, {@code lease} and {@code schedule} call it. It
 * sits below the worker and lease packages so that neither needs the other for the fencing rules.
 */
package io.flinkplatform.engine.internal.claim;
