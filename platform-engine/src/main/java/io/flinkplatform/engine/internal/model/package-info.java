/**
 * The run model: one database-free component that decides, from a workflow version ({@link
 * io.flinkplatform.engine.internal.model.TaskGraph}), the latest attempts of a run (all of it, or
 * the part the caller loaded) and new facts (outcomes, RUNNING releases, branch choices, kills,
 * reruns and manual marks), what becomes READY, SKIPPED, UPSTREAM_FAILED or retried and how the run
 * ends. Completion, reruns and marks, explain, the logic tasks' view of upstream, upstream outputs
 * and the pictures all read runs through it; none keeps a copy of its rules.
 *
 * <p>It owns: the latest-attempt rule ({@link
 * io.flinkplatform.engine.internal.model.LatestAttempts}), the trigger rules with branches and
 * releases ({@link io.flinkplatform.engine.internal.model.TriggerRules}), retries ({@link
 * io.flinkplatform.engine.internal.model.Retry}), run outcomes ({@link
 * io.flinkplatform.engine.internal.model.RunOutcome}) and a run's working copy ({@link
 * io.flinkplatform.engine.internal.model.RunModel}). It may call only the JDK and the engine's
 * public {@code dag} and {@code run} types: no store, no rows, no clock (times come in as values).
 */
package io.flinkplatform.engine.internal.model;
