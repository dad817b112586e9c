package io.flinkplatform.engine.access;

import io.flinkplatform.spi.Actor;
import java.util.Optional;

/**
 * Logs in against the built-in store of users and API tokens ({@link Users}); get it with {@code
 * Platform.authenticator()}. Needs no actor: it is what turns a request into one. Every refusal
 * (unknown user, wrong password, disabled user, malformed, unknown, expired or revoked token) is
 * the same empty result, and takes about the time of one hash check either way, so neither the
 * result nor the time tells which users or token ids exist. Thread-safe.
 */
public interface Authenticator {
  /** The prefix of every API token: {@code fpt_<id>_<secret>}. */
  String TOKEN_PREFIX = "fpt_";

  /**
   * The user {@code user} if {@code password} is its password and it is not disabled. Zeroes {@code
   * password}.
   */
  Optional<Actor> password(String user, char[] password);

  /**
   * The owner of {@code presentedToken} if the token is well-formed, not expired, not revoked and
   * its owner is not disabled; records its use (at most once a minute per token).
   */
  Optional<Actor> token(String presentedToken);
}
