package io.flinkplatform.engine.access;

import static java.util.Objects.requireNonNull;

/**
 * A token just created: the only time its secret is shown. Hand {@link #token()} to its owner and
 * drop this value; the platform keeps only a hash. {@link #toString()} does not show the secret.
 *
 * @param info the token as {@link Users#tokens} lists it
 * @param token the whole token to present, {@code fpt_<id>_<secret>}
 */
public record IssuedToken(TokenInfo info, String token) {
  public IssuedToken {
    requireNonNull(info, "info is null");
    requireNonNull(token, "token is null");
  }

  @Override
  public String toString() {
    return "IssuedToken[info=" + info + ", token=fpt_" + info.id() + "_***]";
  }
}
