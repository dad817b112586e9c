/**
 * The operations console and its REST API, served by the library: {@link
 * io.flinkplatform.engine.console.ConsoleSettings} configures it (docs/console.md).
 */
package io.flinkplatform.engine.console;
