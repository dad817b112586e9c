/**
 * Running attempts on this instance: the dispatcher claims READY attempts within the limits and the
 * worker permits, the executor runs them (synchronous task types on a worker thread, external ones
 * through the external driver), builds each attempt's task context (parameters, upstream outputs,
 * logic tasks' view of the platform), turns outcomes into results for the completer, writes and
 * reads task logs (shipping them to a shared store when one is set: {@code LogShipper}, {@code
 * SharedLogs}), and abandons attempts that outlive their cancellation (the watchdog).
 *
 * <p>It owns the attempts this instance holds and the task log directory. It may call {@code
 * store}, {@code definition}, {@code progress} (it hands results and released claims to the
 * completer), {@code claim} (claims and whether an attempt may still start), {@code common} and the
 * public {@code storage} package (the shared log store). The lease, housekeeping, query and command
 * packages call it: to renew or cancel local attempts, to clean logs, to read logs, and to wake the
 * dispatcher.
 */
package io.flinkplatform.engine.internal.worker;
