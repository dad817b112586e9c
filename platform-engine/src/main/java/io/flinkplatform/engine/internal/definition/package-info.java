/**
 * Workflows as deployed: validating a workflow (structure, task types and options, edges, cycles,
 * references to other workflows), deploying it as a new version ({@link
 * io.flinkplatform.engine.internal.definition.Deployments}), and the cache of deployed versions as
 * ready-to-run graphs ({@link io.flinkplatform.engine.internal.definition.Definitions}, {@link
 * io.flinkplatform.engine.internal.definition.Dag}) with their plugins and typed parameters.
 *
 * <p>It owns the workflow version and task rows. It may call {@code store} and {@code common} only;
 * every step of the data path after it (progress, worker, schedule, rerun, query, command) reads
 * definitions through it.
 */
package io.flinkplatform.engine.internal.definition;
