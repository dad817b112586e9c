/**
 * The client's side of the engine: the {@link io.flinkplatform.engine.PlatformClient} facade
 * ({@link io.flinkplatform.engine.internal.query.ClientImpl}) that hands every call to its owner,
 * and what only reads: runs, attempts and logs ({@link
 * io.flinkplatform.engine.internal.query.RunQueries}, mapped to the API's records by {@link
 * io.flinkplatform.engine.internal.query.ApiMapping}), waiting for runs to end, explanations and
 * diagrams; and the reads a console pages through ({@link
 * io.flinkplatform.engine.internal.query.Reads}: workflows, versions and their diff, run search,
 * instances, the overview).
 *
 * <p>It owns no table. It may call {@code command}, {@code definition}, {@code schedule}, {@code
 * store}, {@code common}, and {@code worker} for the task logs; nothing in the engine calls it but
 * the wiring (and {@code RunWaiters}, which the completer's wake-up signals). Nothing here writes
 * to the database except through {@code command}, {@code definition} (deploy) and {@code schedule}.
 */
package io.flinkplatform.engine.internal.query;
