package io.flinkplatform.engine;

/**
 * Counters of one running instance, for the host's monitoring ({@link Platform#stats()}).
 *
 * @param droppedEvents events not delivered to the listeners because their queue was full
 * @param abandonedAttempts attempts that did not end within the cancellation grace after a timeout
 *     or kill, and were ended (or handed back) without waiting for their task
 * @param abandonedThreads threads of abandoned attempts that still run; the worker pool has one
 *     more thread for each
 */
public record InstanceStats(long droppedEvents, long abandonedAttempts, int abandonedThreads) {}
