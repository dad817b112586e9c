package io.flinkplatform.engine.internal.identity;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.ConflictException;
import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.engine.NotFoundException;
import io.flinkplatform.engine.StoreException;
import io.flinkplatform.engine.access.Action;
import io.flinkplatform.engine.access.Authenticator;
import io.flinkplatform.engine.access.IssuedToken;
import io.flinkplatform.engine.access.TokenInfo;
import io.flinkplatform.engine.access.Users;
import io.flinkplatform.engine.internal.access.Access;
import io.flinkplatform.engine.internal.access.Caller;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.internal.store.StoreMapper;
import io.flinkplatform.engine.internal.store.TokenRow;
import io.flinkplatform.engine.internal.store.UserRow;
import io.flinkplatform.spi.AccessDeniedException;
import io.flinkplatform.spi.Actor;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The built-in users and API tokens: {@link Users} for an actor (each call authorized, each change
 * one transaction with its audit row in the platform-wide workspace {@code ""}) and the {@link
 * Authenticator}. One per engine: it holds the dummy hashes unknown names are checked against.
 */
public final class Identity implements Authenticator {
  /** A token's use is recorded at most this often, to spare a write per API call. */
  static final long TOUCH_EVERY_MS = 60_000;

  /** Random bytes of a token's secret (256 bits), base64url without padding: 43 characters. */
  static final int SECRET_BYTES = 32;

  private static final int SECRET_CHARS = 43;
  private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{" + SECRET_CHARS + "}");
  private static final Pattern ID = Pattern.compile("[1-9][0-9]{0,17}");
  static final Pattern TOKEN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 _.:@-]{0,127}");
  private static final int MAX_DISPLAY_NAME = 255;

  private final Store store;
  private final Access access;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Hashes hashes = new Hashes(random);

  public Identity(Store store, Access access, Clock clock) {
    this.store = requireNonNull(store, "store is null");
    this.access = requireNonNull(access, "access is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /** The users and tokens as {@code actor} manages them. */
  public Users users(Actor actor) {
    return new ActorUsers(new Caller(requireNonNull(actor, "actor is null"), ""));
  }

  // --- authentication

  @Override
  public Optional<Actor> password(String user, char[] password) {
    if (password == null) {
      return Optional.empty();
    }
    try {
      if (password.length > Users.MAX_PASSWORD) {
        return Optional.empty(); // refused before hashing: long input must not cost long hashing
      }
      UserRow row =
          user != null && Actor.USER_NAME.matcher(user).matches() && !user.equals("system")
              ? store.tx("read a user", m -> m.selectUser(user))
              : null;
      boolean matches = hashes.passwordMatches(password, row == null ? null : row.passwordHash);
      if (!matches || row.disabled) {
        return Optional.empty();
      }
      return Optional.of(Actor.user(row.name));
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  @Override
  public Optional<Actor> token(String presentedToken) {
    if (presentedToken == null || !presentedToken.startsWith(TOKEN_PREFIX)) {
      return Optional.empty();
    }
    String rest = presentedToken.substring(TOKEN_PREFIX.length());
    int sep = rest.indexOf('_');
    if (sep < 0
        || !ID.matcher(rest.substring(0, sep)).matches()
        || !SECRET.matcher(rest.substring(sep + 1)).matches()) {
      return Optional.empty(); // malformed: says nothing about which tokens exist
    }
    long id = Long.parseLong(rest.substring(0, sep));
    String secret = rest.substring(sep + 1);
    TokenAndUser found =
        store.tx(
            "read a token",
            m -> {
              TokenRow t = m.selectToken(id);
              return new TokenAndUser(t, t == null ? null : m.selectUser(t.userName));
            });
    TokenRow t = found.token();
    boolean matches = hashes.tokenMatches(secret, t == null ? null : t.tokenHash);
    long now = clock.millis();
    if (!matches
        || t.revokedAt != null
        || now >= t.expiresAt
        || found.user() == null
        || found.user().disabled) {
      return Optional.empty();
    }
    if (t.lastUsedAt == null || now - t.lastUsedAt >= TOUCH_EVERY_MS) {
      store.run("record the use of token " + id, m -> m.touchToken(id, now, TOUCH_EVERY_MS));
    }
    return Optional.of(Actor.user(t.userName));
  }

  private record TokenAndUser(TokenRow token, UserRow user) {}

  // --- checks

  private static void checkName(String field, String name) {
    if (name == null || !Actor.USER_NAME.matcher(name).matches() || name.equals("system")) {
      throw new InvalidRequestException(
          field, "must be a user name (" + Actor.USER_NAME.pattern() + ", not 'system')");
    }
  }

  /** Checks the password's length; zeroes it if it is refused. */
  private static void checkPassword(char[] password) {
    if (password == null) {
      throw new InvalidRequestException("password", "is required");
    }
    if (password.length < Users.MIN_PASSWORD || password.length > Users.MAX_PASSWORD) {
      Arrays.fill(password, '\0');
      // not even its length: exceptions get logged
      throw new InvalidRequestException(
          "password",
          "must have " + Users.MIN_PASSWORD + " to " + Users.MAX_PASSWORD + " characters");
    }
  }

  private String hashAndZero(char[] password) {
    try {
      return hashes.password(password);
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  private static UserRow existing(StoreMapper m, String name) {
    UserRow u = m.selectUser(name);
    if (u == null) {
      throw new NotFoundException("user '" + name + "' does not exist");
    }
    return u;
  }

  private static Users.UserInfo info(UserRow r) {
    return new Users.UserInfo(
        r.name,
        r.displayName,
        r.passwordHash != null,
        r.platformAdmin,
        r.disabled,
        Instant.ofEpochMilli(r.createdAt),
        Instant.ofEpochMilli(r.updatedAt));
  }

  private static TokenInfo info(TokenRow r) {
    return new TokenInfo(
        r.id,
        r.userName,
        r.name,
        Instant.ofEpochMilli(r.createdAt),
        Instant.ofEpochMilli(r.expiresAt),
        Optional.ofNullable(r.revokedAt).map(Instant::ofEpochMilli),
        Optional.ofNullable(r.lastUsedAt).map(Instant::ofEpochMilli));
  }

  /** {@link Users} as one actor; the caller's workspace is {@code ""} (platform-wide). */
  private final class ActorUsers implements Users {
    private final Caller caller;

    ActorUsers(Caller caller) {
      this.caller = caller;
    }

    private void requireAdmin(Action action) {
      access.require(caller, action);
    }

    /**
     * The user itself (while it is an enabled stored user), a platform administrator or the system.
     */
    private void requireSelfOrAdmin(String user, Action action) {
      Actor actor = caller.actor();
      if (actor.kind() == Actor.Kind.USER && actor.name().equals(user)) {
        UserRow self = store.tx("read a user", m -> m.selectUser(user));
        if (self != null && !self.disabled) {
          return;
        }
        if (self != null) {
          throw new AccessDeniedException(
              actor.name(), "", action.id(), Optional.empty(), "it is disabled");
        }
      }
      access.require(caller, action);
    }

    @Override
    public UserInfo createUser(String name, String displayName) {
      requireAdmin(Action.USER_CHANGE);
      return create(name, displayName, null);
    }

    @Override
    public UserInfo createUser(String name, String displayName, char[] password) {
      try {
        requireAdmin(Action.USER_CHANGE);
        checkPassword(password);
        return create(name, displayName, password);
      } finally {
        if (password != null) {
          Arrays.fill(password, '\0');
        }
      }
    }

    private UserInfo create(String name, String displayName, char[] password) {
      checkName("name", name);
      String display = displayName == null ? "" : displayName;
      if (display.length() > MAX_DISPLAY_NAME) {
        throw new InvalidRequestException(
            "displayName", "at most " + MAX_DISPLAY_NAME + " characters");
      }
      UserRow row = new UserRow();
      row.name = name;
      row.displayName = display;
      row.passwordHash = password == null ? null : hashAndZero(password);
      row.createdAt = clock.millis();
      row.updatedAt = row.createdAt;
      try {
        store.run(
            "create user " + name,
            m -> {
              m.insertUser(row);
              access.audit(
                  m,
                  caller,
                  Action.USER_CHANGE,
                  "user:" + name,
                  "created" + (password == null ? " without a password" : " with a password"));
            });
      } catch (StoreException e) {
        if (Store.isDuplicateKey(e, "PRIMARY")) {
          throw new ConflictException("user '" + name + "' exists", e);
        }
        throw e;
      }
      return info(row);
    }

    @Override
    public void setPassword(String name, char[] password) {
      try {
        checkName("name", name);
        requireSelfOrAdmin(name, Action.USER_CHANGE);
        checkPassword(password);
        String hash = hashAndZero(password);
        store.run(
            "set the password of " + name,
            m -> {
              existing(m, name);
              m.updateUserPassword(name, hash, clock.millis());
              // a new password ends every token: one taken with the old password stops working
              int revoked = m.revokeTokensOfUser(name, clock.millis());
              // and every console session, so a stolen one stops when the password is reset
              int sessions = m.endConsoleSessionsOf(name);
              access.audit(
                  m,
                  caller,
                  Action.USER_CHANGE,
                  "user:" + name,
                  "password set; "
                      + revoked
                      + " token(s) revoked, "
                      + sessions
                      + " console session(s) ended");
            });
      } finally {
        if (password != null) {
          Arrays.fill(password, '\0');
        }
      }
    }

    @Override
    public void setDisabled(String name, boolean disabled) {
      requireAdmin(Action.USER_CHANGE);
      checkName("name", name);
      store.run(
          (disabled ? "disable " : "enable ") + name,
          m -> {
            existing(m, name);
            m.updateUserDisabled(name, disabled, clock.millis());
            int sessions = disabled ? m.endConsoleSessionsOf(name) : 0;
            access.audit(
                m,
                caller,
                Action.USER_CHANGE,
                "user:" + name,
                disabled ? "disabled; " + sessions + " console session(s) ended" : "enabled");
          });
    }

    @Override
    public void setPlatformAdmin(String name, boolean platformAdmin) {
      requireAdmin(Action.USER_CHANGE);
      checkName("name", name);
      store.run(
          "set platform admin " + name,
          m -> {
            existing(m, name);
            m.updateUserPlatformAdmin(name, platformAdmin, clock.millis());
            access.audit(
                m,
                caller,
                Action.USER_CHANGE,
                "user:" + name,
                platformAdmin ? "made a platform admin" : "no longer a platform admin");
          });
    }

    @Override
    public List<UserInfo> users() {
      requireAdmin(Action.USER_CHANGE);
      return store.tx("read users", StoreMapper::selectUsers).stream().map(Identity::info).toList();
    }

    @Override
    public IssuedToken createToken(String user, String tokenName, Duration validity) {
      checkName("user", user);
      requireSelfOrAdmin(user, Action.TOKEN_CREATE);
      if (tokenName == null || !TOKEN_NAME.matcher(tokenName).matches()) {
        throw new InvalidRequestException(
            "tokenName", "must be 1 to 128 letters, digits, spaces, _ . : @ -");
      }
      if (validity == null
          || validity.isNegative()
          || validity.isZero()
          || validity.compareTo(MAX_TOKEN_VALIDITY) > 0) {
        throw new InvalidRequestException(
            "validity", "must be positive and at most " + MAX_TOKEN_VALIDITY.toDays() + " days");
      }
      byte[] bytes = new byte[SECRET_BYTES];
      random.nextBytes(bytes);
      String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      Arrays.fill(bytes, (byte) 0);
      TokenRow row = new TokenRow();
      row.userName = user;
      row.name = tokenName;
      row.tokenHash = hashes.token(secret);
      row.createdAt = clock.millis();
      row.expiresAt = row.createdAt + validity.toMillis();
      store.run(
          "create a token of " + user,
          m -> {
            if (existing(m, user).disabled) {
              throw new InvalidRequestException("user", "'" + user + "' is disabled");
            }
            m.insertToken(row);
            access.audit(
                m,
                caller,
                Action.TOKEN_CREATE,
                "token:" + row.id,
                "token '"
                    + tokenName
                    + "' of "
                    + user
                    + " expires "
                    + Instant.ofEpochMilli(row.expiresAt));
          });
      return new IssuedToken(info(row), TOKEN_PREFIX + row.id + "_" + secret);
    }

    @Override
    public List<TokenInfo> tokens(String user) {
      checkName("user", user);
      requireSelfOrAdmin(user, Action.TOKEN_CREATE);
      return store.tx("read the tokens of " + user, m -> m.selectTokens(user)).stream()
          .map(Identity::info)
          .toList();
    }

    @Override
    public boolean revokeToken(long id) {
      TokenRow t = store.tx("read token " + id, m -> m.selectToken(id));
      if (t == null) {
        // only an admin learns that an id does not exist; anyone else is refused as for others'
        requireAdmin(Action.TOKEN_REVOKE);
        throw new NotFoundException("token " + id + " does not exist");
      }
      requireSelfOrAdmin(t.userName, Action.TOKEN_REVOKE);
      return store.tx(
          "revoke token " + id,
          m -> {
            boolean revoked = m.revokeToken(id, clock.millis()) > 0;
            if (revoked) {
              access.audit(
                  m,
                  caller,
                  Action.TOKEN_REVOKE,
                  "token:" + id,
                  "token '" + t.name + "' of " + t.userName + " revoked");
            }
            return revoked;
          });
    }
  }
}
