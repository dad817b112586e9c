/**
 * The {@code logic} task plugin: {@code condition}, {@code switch}, {@code dependent} and {@code
 * sub_workflow} (see docs/tasks/logic.md). It depends on {@code platform-spi} only.
 */
package io.flinkplatform.tasks.logic;
