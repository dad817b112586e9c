package io.flinkplatform.examples;

import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.access.Users;
import io.flinkplatform.spi.Actor;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * The example's console administrator: the user {@value #USER}, a platform administrator, whose
 * password is random and new at every start (it is printed once; the embedded database is thrown
 * away at the end anyway).
 */
final class ConsoleAdmin {
  static final String USER = "admin";

  private ConsoleAdmin() {}

  /** Creates the administrator (or gives it a new password); returns the password. */
  static String create(Platform platform) {
    byte[] random = new byte[18];
    new SecureRandom().nextBytes(random);
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    Users users = platform.users(Actor.SYSTEM);
    char[] chars = password.toCharArray();
    try {
      if (users.users().stream().anyMatch(u -> u.name().equals(USER))) {
        users.setPassword(USER, chars);
      } else {
        users.createUser(USER, "Example administrator", chars);
      }
    } finally {
      Arrays.fill(chars, '\0');
    }
    users.setPlatformAdmin(USER, true);
    return password;
  }
}
