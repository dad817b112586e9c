/**
 * The {@code shell} task plugin: runs a script or an argument vector as a local process tree,
 * streams its output to the attempt's log and ends the whole tree on cancellation or timeout.
 *
 * <p>Depends on the JDK and {@code platform-spi} only. See {@code docs/tasks/shell.md}.
 */
package io.flinkplatform.tasks.shell;
