/**
 * The {@code flink} task plugin. It depends on {@code platform-spi} only; its task types arrive
 * with their own issue.
 */
package io.flinkplatform.tasks.flink;
