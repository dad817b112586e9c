package io.flinkplatform.spi;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who does something on the platform: a person or service known to the host's {@code Authorizer} (a
 * {@link Kind#USER}), or the platform itself and the host code embedding it (a {@link Kind#SYSTEM}
 * actor, allowed everything). Every client call runs as one; audit rows, runs and events record its
 * {@link #name()}.
 *
 * @param kind a user, or the system
 * @param name a user's name ({@link #USER_NAME}); for the system {@code system}, or what the system
 *     acts for, e.g. {@code schedule:nightly}
 * @param address the caller's network address when known (the console fills it), for the audit
 *     trail
 */
public record Actor(Kind kind, String name, Optional<String> address) {
  /** What a user's name may be: letters, digits, {@code _ . @ -}, 1 to 128 characters. */
  public static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9_.@-]{1,128}");

  /** The longest name (what runs and audit rows record). */
  public static final int MAX_NAME = 191;

  /** The longest address (an IPv6 address with a zone fits). */
  public static final int MAX_ADDRESS = 64;

  /** The host application and the platform's own loops: allowed everything, in every workspace. */
  public static final Actor SYSTEM = new Actor(Kind.SYSTEM, "system", Optional.empty());

  /** A user or the system. */
  public enum Kind {
    SYSTEM,
    USER
  }

  public Actor {
    requireNonNull(kind, "kind is null");
    requireNonNull(name, "name is null");
    requireNonNull(address, "address is null");
    if (name.isEmpty() || name.length() > MAX_NAME) {
      throw new IllegalArgumentException(
          "an actor's name has 1 to " + MAX_NAME + " characters, not " + name.length());
    }
    if (address.isPresent() && (address.get().isEmpty() || address.get().length() > MAX_ADDRESS)) {
      throw new IllegalArgumentException(
          "an actor's address has 1 to " + MAX_ADDRESS + " characters");
    }
    if (kind == Kind.USER && (!USER_NAME.matcher(name).matches() || name.equals("system"))) {
      throw new IllegalArgumentException(
          "user name '"
              + (name.length() > 40 ? name.substring(0, 40) + "..." : name)
              + "' is not allowed: use 1 to 128 letters, digits, _ . @ - (and not 'system')");
    }
  }

  /**
   * The user {@code name}.
   *
   * @throws IllegalArgumentException if the name breaks {@link #USER_NAME} or is {@code system}
   */
  public static Actor user(String name) {
    return new Actor(Kind.USER, name, Optional.empty());
  }

  /** The system acting for something, e.g. {@code system("schedule:nightly")}. */
  public static Actor system(String actingFor) {
    return new Actor(Kind.SYSTEM, requireNonNull(actingFor, "actingFor is null"), Optional.empty());
  }

  /** This actor calling from {@code address} (an IP address, for the audit trail). */
  public Actor from(String address) {
    return new Actor(kind, name, Optional.of(requireNonNull(address, "address is null")));
  }

  /** Whether this is the system, allowed everything. */
  public boolean isSystem() {
    return kind == Kind.SYSTEM;
  }
}
