package io.flinkplatform.engine.internal.console;

import io.flinkplatform.engine.access.Authenticator;
import io.flinkplatform.spi.Actor;
import java.util.Optional;

/** Turns a request into a {@link Principal}: a Bearer API token, else the session cookie. */
final class Authn {
  static final String COOKIE = "fp_session";
  static final String CSRF_HEADER = "X-CSRF-Token";
  private final Sessions sessions;
  private final Authenticator authenticator;

  Authn(Sessions sessions, Authenticator authenticator) {
    this.sessions = sessions;
    this.authenticator = authenticator;
  }

  /** Why a request is not authenticated: no credentials at all, or bad ones. */
  enum Failure {
    NONE,
    BAD_TOKEN
  }

  /** The caller, or empty with why. */
  Result identify(Exchange ex) {
    Optional<String> auth = ex.header("Authorization");
    if (auth.isPresent()) {
      String value = auth.get().trim();
      if (!value.regionMatches(true, 0, "Bearer ", 0, 7)) {
        return new Result(null, Failure.BAD_TOKEN);
      }
      return authenticator
          .token(value.substring(7).trim())
          .filter(a -> !a.isSystem())
          .map(a -> new Result(new Principal(a.from(ex.address()), Optional.empty()), null))
          .orElse(new Result(null, Failure.BAD_TOKEN));
    }
    return ex.cookie(COOKIE)
        .flatMap(sessions::find)
        .map(
            s ->
                new Result(
                    new Principal(Actor.user(s.actor()).from(ex.address()), Optional.of(s)), null))
        .orElse(new Result(null, Failure.NONE));
  }

  /** Whether a state-changing request by a session carries its CSRF token (and no other origin). */
  static boolean csrfOk(Exchange ex, Principal p) {
    if (!p.bySession()) {
      return true;
    }
    return sameOrigin(ex)
        && Sessions.same(ex.header(CSRF_HEADER).orElse(null), p.session().get().csrf());
  }

  /** False if the request names an Origin that is not this console's host. */
  static boolean sameOrigin(Exchange ex) {
    Optional<String> origin = ex.header("Origin");
    Optional<String> host = ex.header("Host");
    if (origin.isEmpty()) {
      return true; // not a browser's cross-site request (browsers send Origin on those)
    }
    if (host.isEmpty()) {
      return false;
    }
    String o = origin.get();
    int scheme = o.indexOf("://");
    return scheme > 0 && o.substring(scheme + 3).equalsIgnoreCase(host.get());
  }

  record Result(Principal principal, Failure failure) {}
}
