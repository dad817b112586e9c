package io.flinkplatform.engine.internal.console;

import java.io.IOException;

/**
 * The console's pages (everything but {@code /api/v1} and {@code /assets}): server-rendered HTML
 * for a logged-in principal, or the login page. Answers every path it is given.
 */
public interface Pages {
  /**
   * Answers the request; {@code who} is null when no one is logged in (the implementation sends the
   * login page or a redirect to it).
   */
  void serve(Exchange ex, Principal who) throws IOException;
}
