package io.flinkplatform.engine.internal.console;

import io.flinkplatform.spi.Actor;
import java.util.Optional;

/**
 * Who sent a request: an actor logged in by a session cookie (whose state-changing requests must
 * echo the session's CSRF token) or by an API token (which no other site can make a browser send).
 */
public record Principal(Actor actor, Optional<Sessions.Session> session) {
  public boolean bySession() {
    return session.isPresent();
  }

  /** The token pages put in state-changing requests; empty for token callers. */
  public Optional<String> csrf() {
    return session.map(Sessions.Session::csrf);
  }
}
