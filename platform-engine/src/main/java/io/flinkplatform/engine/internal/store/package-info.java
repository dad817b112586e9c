/**
 * The persistence boundary: one MyBatis mapper over the platform's database ({@link
 * io.flinkplatform.engine.internal.store.Store}, {@link
 * io.flinkplatform.engine.internal.store.StoreMapper} and its XML), the rows it reads and writes
 * ({@link io.flinkplatform.engine.internal.store.Rows}), the schema check, and how a claim applies
 * the concurrency limits ({@link io.flinkplatform.engine.internal.store.Limits}).
 *
 * <p>It owns every table and every SQL statement. It may call the JDK, MyBatis and the public API's
 * exceptions only; every other internal package calls it. (One exception remains: {@code
 * StoreMapper} returns {@code lease.Heartbeat.Expired} rows; that record belongs here.)
 */
package io.flinkplatform.engine.internal.store;
