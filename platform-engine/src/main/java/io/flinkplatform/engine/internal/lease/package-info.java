/**
 * Leases: every attempt this instance runs holds a lease in its row, renewed by the {@link
 * io.flinkplatform.engine.internal.lease.Heartbeat} (by the database's clock); the {@link
 * io.flinkplatform.engine.internal.lease.LeaseWatchdog} stops local attempts whose lease may have
 * lapsed (by the local monotonic clock), and the {@link
 * io.flinkplatform.engine.internal.lease.Reaper} re-queues the attempts of instances whose leases
 * lapsed.
 *
 * <p>It owns the lease and epoch columns' meaning and the fencing rules. It may call {@code claim}
 * (the fencing bound), {@code store}, {@code common}, {@code alert} (the lost instance's alert, in
 * the reaper's transaction) and {@code worker} (the local attempts it renews, cancels and stops);
 * nothing but the root package calls it.
 */
package io.flinkplatform.engine.internal.lease;
