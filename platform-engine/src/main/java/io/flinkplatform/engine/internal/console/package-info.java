/**
 * The console's HTTP server (the JDK's {@code com.sun.net.httpserver}): sessions, CSRF, login
 * limits, the REST API's routes and their OpenAPI document, JSON errors, pages and assets. It
 * serves what {@link io.flinkplatform.engine.PlatformClient} offers, as the logged-in actor.
 *
 * <p>It may call no other internal package: the engine hands it a {@link
 * io.flinkplatform.engine.internal.console.ConsoleBackend} (the public client as an actor, roles,
 * the database for sessions); only the engine's start and stop call it.
 */
package io.flinkplatform.engine.internal.console;
