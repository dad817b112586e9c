/**
 * Commands a caller issues through the client: trigger and kill runs ({@link
 * io.flinkplatform.engine.internal.command.RunCommands}), rerun tasks and mark them by hand ({@link
 * io.flinkplatform.engine.internal.command.RerunCommands}), and set, remove and list concurrency
 * limits ({@link io.flinkplatform.engine.internal.command.LimitSettings}). Each command is one
 * short transaction followed by the wake-ups it makes due.
 *
 * <p>It owns no state and no table of its own. It may call {@code store}, {@code definition},
 * {@code progress} (creating runs, closing them in the kill transaction), {@code rerun}, {@code
 * alert} (the alerts of a kill or a mark, in its transaction), {@code common}, and {@code worker}
 * only to wake the dispatcher and cancel this instance's attempts of a killed run. Only {@code
 * query}'s client facade and the engine's wiring call it.
 *
 * <p>Why a package of its own rather than {@code progress}: {@code progress} is the in-transaction
 * core the completer drives, and {@code worker} already depends on it (the completer, results); the
 * commands need the dispatcher and the executor from {@code worker}, so putting them in {@code
 * progress} would make {@code progress} and {@code worker} depend on each other.
 */
package io.flinkplatform.engine.internal.command;
