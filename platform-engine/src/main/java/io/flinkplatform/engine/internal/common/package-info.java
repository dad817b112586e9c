/**
 * What every step of the engine shares: the run-until-stopped {@link
 * io.flinkplatform.engine.internal.common.Loop} skeleton with its {@link
 * io.flinkplatform.engine.internal.common.Outage} reporting and {@link
 * io.flinkplatform.engine.internal.common.Wakeup}, the {@link
 * io.flinkplatform.engine.internal.common.Signals} the components wake each other through, the
 * event queue to the host's listeners ({@link io.flinkplatform.engine.internal.common.Events}),
 * JSON and text helpers, and exceptions with secrets masked.
 *
 * <p>It owns no table and no thread of its own but the event delivery thread. It may call the JDK,
 * Jackson, SLF4J and the public API's events and exceptions only, no other internal package; every
 * internal package may call it.
 */
package io.flinkplatform.engine.internal.common;
