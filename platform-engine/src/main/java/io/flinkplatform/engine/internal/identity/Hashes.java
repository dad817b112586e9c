package io.flinkplatform.engine.internal.identity;

import com.google.common.base.Suppliers;
import java.nio.CharBuffer;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Supplier;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The Argon2id hashes of passwords and token secrets, by Spring Security's {@link
 * Argon2PasswordEncoder} over Bouncy Castle (in its encoded form, {@code $argon2id$v=19$m=...}),
 * and the dummy hashes an unknown user or token is checked against so that a refusal takes the same
 * time whether or not it exists.
 */
final class Hashes {
  /** Spring Security's recommended parameters: 16 MiB, 2 passes, 16-byte salt, 32-byte hash. */
  private final PasswordEncoder passwords = Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8();

  /**
   * Token secrets are 256 random bits: no guess gets near them, so stretching buys nothing and a
   * check on every API call should be cheap; Argon2id with 4 MiB and one pass still keeps a stolen
   * table from handing out working tokens.
   */
  private final PasswordEncoder tokens = new Argon2PasswordEncoder(16, 32, 1, 4096, 1);

  private final Supplier<String> dummyPassword;
  private final Supplier<String> dummyToken;

  Hashes(SecureRandom random) {
    dummyPassword = Suppliers.memoize(() -> passwords.encode(randomText(random)));
    dummyToken = Suppliers.memoize(() -> tokens.encode(randomText(random)));
  }

  private static String randomText(SecureRandom random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * The hash of {@code password}. The encoder takes a {@link CharSequence} and makes a String of
   * it, which the caller cannot zero; the caller zeroes its array.
   */
  String password(char[] password) {
    return passwords.encode(CharBuffer.wrap(password));
  }

  /** Whether {@code password} matches {@code hash}; with no hash, checks a dummy and says no. */
  boolean passwordMatches(char[] password, String hash) {
    boolean matches =
        passwords.matches(CharBuffer.wrap(password), hash == null ? dummyPassword.get() : hash);
    return hash != null && matches;
  }

  String token(String secret) {
    return tokens.encode(secret);
  }

  /** Whether {@code secret} matches {@code hash}; with no hash, checks a dummy and says no. */
  boolean tokenMatches(String secret, String hash) {
    boolean matches = tokens.matches(secret, hash == null ? dummyToken.get() : hash);
    return hash != null && matches;
  }
}
