package io.flinkplatform.spi;

/**
 * The platform's cipher for values kept at rest (datasource passwords, secret driver properties,
 * catalog options), under the key ring the host gives ({@code Platform.builder().keyRing(...)}):
 * AES-GCM, a fresh nonce per value, the id of the key in the sealed text, and a {@code context}
 * authenticated with it. Every plugin uses the same keys, so one rotation covers them all.
 *
 * <p>The context should name everything the value belongs to (table, row, and the fields that say
 * where the value is sent, such as a URL): a sealed value copied to another row, or a row whose URL
 * was changed behind the platform's back, then no longer opens. Nothing here ever shows a key or a
 * plain value in a message.
 */
public interface Secrets {
  /** How every sealed value starts: {@code v2:<key id>:<Base64 of nonce, ciphertext and tag>}. */
  String SEALED_PREFIX = "v2:";

  /** Whether the host gave a key ring; without one {@link #seal} and {@link #open} throw. */
  boolean available();

  /**
   * Seals {@code plain} under the active key.
   *
   * @throws SecretsException if no key ring was given
   */
  String seal(String plain, String context);

  /**
   * Opens a value sealed by {@link #seal} with the same {@code context}, under whichever key of the
   * ring sealed it.
   *
   * @throws SecretsException if no key ring was given, the key is not in the ring, the value was
   *     changed, or the context differs
   */
  String open(String sealed, String context);

  /** Whether {@code value} has the form of a sealed value. */
  boolean isSealed(String value);

  /** Whether {@code sealed} was sealed under the active key (if not, seal it again to rotate). */
  boolean isCurrent(String sealed);

  /**
   * How the value of a secret task option ({@link TaskOption#asSecret()}) is written in a workflow:
   * {@code secret:NAME}, never the secret itself, NAME one the host's {@link SecretNames} allows
   * (checked at deploy); the task resolves it when it runs with {@link
   * PluginContext#secret(String)}.
   */
  String REFERENCE_PREFIX = "secret:";

  /**
   * The name in a reference {@code secret:NAME} (letters, digits, {@code _ . - /}, at most 128), or
   * empty if {@code value} is not one.
   */
  static java.util.Optional<String> referenceName(Object value) {
    if (value instanceof String s
        && s.startsWith(REFERENCE_PREFIX)
        && s.substring(REFERENCE_PREFIX.length()).matches("[A-Za-z0-9_./-]{1,128}")) {
      return java.util.Optional.of(s.substring(REFERENCE_PREFIX.length()));
    }
    return java.util.Optional.empty();
  }

  /** No key ring: nothing can be sealed or opened. */
  static Secrets none() {
    return NoSecrets.INSTANCE;
  }

  /** A failure to seal or open; the message names the key id at most, never a key or a value. */
  final class SecretsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SecretsException(String message) {
      super(message);
    }
  }
}
