package io.flinkplatform.engine.access;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The built-in store of users and API tokens, for hosts without a directory of their own; get one
 * with {@code Platform.users(actor)}. A platform administrator (or the system) manages every user;
 * a user may set its own password and create, list and revoke its own tokens. Every change writes
 * one audit row (workspace {@code ""}, actions {@link Action#USER_CHANGE}, {@link
 * Action#TOKEN_CREATE}, {@link Action#TOKEN_REVOKE}) in the transaction of the change. Passwords
 * and token secrets are stored only as Argon2id hashes and never returned, logged or audited.
 * Logging in is {@code Platform.authenticator()}'s. Thread-safe.
 *
 * <p>Passwords are {@code char[]} so that the caller can zero them; this store zeroes the arrays it
 * is given once it has hashed them (also when it refuses them).
 *
 * @throws io.flinkplatform.spi.AccessDeniedException from every method the actor may not call
 */
public interface Users {
  /** Shortest password, in characters. */
  int MIN_PASSWORD = 12;

  /** Longest password, in characters. */
  int MAX_PASSWORD = 1024;

  /** Longest token validity. */
  Duration MAX_TOKEN_VALIDITY = Duration.ofDays(3660);

  /**
   * Creates a user that can log in only with tokens (until it is given a password). Platform
   * administrator only.
   *
   * @throws io.flinkplatform.engine.InvalidRequestException naming {@code name} or {@code
   *     displayName} if it is not a user name ({@link io.flinkplatform.spi.Actor#USER_NAME}) or
   *     longer than 255 characters
   * @throws io.flinkplatform.engine.ConflictException if the user exists
   */
  UserInfo createUser(String name, String displayName);

  /**
   * Creates a user with a password ({@link #MIN_PASSWORD}..{@link #MAX_PASSWORD} characters).
   * Platform administrator only. Zeroes {@code password}.
   *
   * @throws io.flinkplatform.engine.InvalidRequestException naming {@code password} if it is too
   *     short or too long
   */
  UserInfo createUser(String name, String displayName, char[] password);

  /**
   * Sets the password of {@code name}: the user itself or a platform administrator. Zeroes {@code
   * password}.
   *
   * @throws io.flinkplatform.engine.NotFoundException if there is no such user
   */
  void setPassword(String name, char[] password);

  /**
   * Disables or enables a user. A disabled user cannot log in, its tokens are refused and the
   * built-in authorizer gives it no role and no platform administration, at once. Platform
   * administrator only.
   */
  void setDisabled(String name, boolean disabled);

  /** Makes a user a platform administrator, or no longer one. Platform administrator only. */
  void setPlatformAdmin(String name, boolean platformAdmin);

  /** Every user, by name. Platform administrator only. */
  List<UserInfo> users();

  /**
   * Creates an API token of {@code user} that expires after {@code validity} (at most {@link
   * #MAX_TOKEN_VALIDITY}): the user itself or a platform administrator. The secret is in the
   * returned value only; it cannot be read again.
   *
   * @throws io.flinkplatform.engine.InvalidRequestException naming {@code tokenName} or {@code
   *     validity}
   * @throws io.flinkplatform.engine.NotFoundException if there is no such user
   */
  IssuedToken createToken(String user, String tokenName, Duration validity);

  /** The tokens of {@code user}, revoked and expired ones too: the user itself or an admin. */
  List<TokenInfo> tokens(String user);

  /**
   * Revokes a token, at once on every instance: its owner or a platform administrator.
   *
   * @return false if it was revoked already
   * @throws io.flinkplatform.engine.NotFoundException if there is no such token
   */
  boolean revokeToken(long id);

  /**
   * A user, without its password hash.
   *
   * @param name its name, the {@link io.flinkplatform.spi.Actor#name()} it acts as
   * @param displayName what people call it
   * @param hasPassword whether it can log in with a password
   * @param platformAdmin whether it is a platform administrator
   * @param disabled whether it is disabled
   * @param created when it was created
   * @param updated when it was last changed
   */
  record UserInfo(
      String name,
      String displayName,
      boolean hasPassword,
      boolean platformAdmin,
      boolean disabled,
      Instant created,
      Instant updated) {}
}
