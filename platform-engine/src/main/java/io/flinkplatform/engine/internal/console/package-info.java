/**
 * The console's HTTP server (the JDK's {@code com.sun.net.httpserver}): sessions, CSRF, login
 * limits, the REST API's routes and their OpenAPI document, JSON errors, pages and assets. It
 * serves what {@link io.flinkplatform.engine.PlatformClient} offers, as the logged-in actor.
 *
 * <p>It may call {@code access} (roles for the workspace list), {@code store} (workspace names) and
 * the public API; no other internal package calls it but the engine's start and stop.
 */
package io.flinkplatform.engine.internal.console;
