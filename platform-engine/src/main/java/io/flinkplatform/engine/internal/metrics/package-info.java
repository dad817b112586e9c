/**
 * The platform's meters: {@link io.flinkplatform.engine.internal.metrics.Meters}, which the loops
 * call on their hot paths (an increment each, no allocation, no database access), with a no-op
 * implementation when the host gave no registry and {@code MicrometerMeters}, the only class of the
 * engine that touches {@code io.micrometer}, loaded only when the host gave a {@code
 * MeterRegistry}; {@code MeterEvents} counts what the events say (runs, stale writes, outages) and
 * {@code QueueDepth} reads the READY attempts by priority band once per period, not per scrape.
 *
 * <p>It may call store and common; the loops (worker, progress, schedule, lease) and alert call it.
 */
package io.flinkplatform.engine.internal.metrics;
