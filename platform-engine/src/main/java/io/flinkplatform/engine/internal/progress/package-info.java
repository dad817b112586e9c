/**
 * Run progress inside transactions: {@link io.flinkplatform.engine.internal.progress.Runs} creates
 * and starts runs (trigger); the {@link io.flinkplatform.engine.internal.progress.Completer} queues
 * outcomes and commits them in batches (group commit) through {@link
 * io.flinkplatform.engine.internal.progress.Progress}, a thin facade over {@link
 * io.flinkplatform.engine.internal.progress.OutcomeWriter} (end attempts whose epoch still holds,
 * insert retries), {@link io.flinkplatform.engine.internal.progress.ReleaseWriter} (RUNNING edges),
 * {@link io.flinkplatform.engine.internal.progress.DownstreamResolver} (decide downstream tasks
 * level by level) and {@link io.flinkplatform.engine.internal.progress.RunCloser} (end runs with
 * nothing left); {@link io.flinkplatform.engine.internal.progress.StrandedRuns} decides the waiting
 * tasks of runs a fan-in counter stranded (a pass of the heartbeat loop). Every decision is the run
 * model's; these classes load rows, ask it, and write what it decided.
 *
 * <p>It owns the run and attempt state transitions of the completion path. It may call {@code
 * model}, {@code definition}, {@code claim}, {@code store}, {@code common} and {@code alert}
 * (raising the alerts of a batch in its transaction); {@code worker}, {@code command}, {@code
 * rerun}, {@code schedule} and {@code query} call it.
 */
package io.flinkplatform.engine.internal.progress;
