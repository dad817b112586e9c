/**
 * Leases: every attempt this instance runs holds a lease in its row, renewed by the {@link
 * io.flinkplatform.engine.internal.lease.Heartbeat} (by the database's clock); the {@link
 * io.flinkplatform.engine.internal.lease.LeaseWatchdog} stops local attempts whose lease may have
 * lapsed (by the local monotonic clock), and the {@link
 * io.flinkplatform.engine.internal.lease.Reaper} re-queues the attempts of instances whose leases
 * lapsed. {@link io.flinkplatform.engine.internal.lease.LeaseClock} estimates the database's clock
 * for ready times and schedules.
 *
 * <p>It owns the lease and epoch columns' meaning and the fencing rules. It may call {@code store},
 * {@code common} and {@code worker} (the local attempts it renews, cancels and stops); {@code
 * worker} calls it back for the fencing bound (whether an attempt may still start), a cycle kept to
 * those two static checks. {@code schedule} reads the database clock estimate.
 */
package io.flinkplatform.engine.internal.lease;
