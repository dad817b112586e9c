/**
 * The persistence boundary: one MyBatis mapper over the platform's database ({@link
 * io.flinkplatform.engine.internal.store.Store}, {@link
 * io.flinkplatform.engine.internal.store.StoreMapper} and its XML), the rows it reads and writes
 * (one class per row type, such as {@link io.flinkplatform.engine.internal.store.RunRow}), the
 * schema check, and how a claim applies the concurrency limits ({@link
 * io.flinkplatform.engine.internal.store.Limits}).
 *
 * <p>Rows are plain classes as MyBatis maps them: public fields named in camel case after the
 * columns. The tables keep their historical names: {@code t_job_flow} holds workflow versions,
 * {@code t_job} their tasks, {@code t_job_flow_run} runs and {@code t_job_run} attempts. States,
 * trigger rules and limit kinds are enums in the rows, so the engine never compares their strings:
 * MyBatis stores an enum by its name and refuses a stored name it does not know.
 *
 * <p>It owns every table and every SQL statement. It may call the JDK, MyBatis and the public API's
 * exceptions only; every other internal package calls it.
 */
package io.flinkplatform.engine.internal.store;
