package io.flinkplatform.tasks.sql;

import static java.util.Objects.requireNonNull;

/**
 * How a datasource gets its password: none, one given now and stored encrypted, or a reference
 * resolved by the {@link SecretSource} when connections are made. {@link #toString()} never shows a
 * password.
 */
public sealed interface Password {

  /** No password. */
  static Password none() {
    return None.INSTANCE;
  }

  /**
   * A password stored in the platform database sealed with the platform's key ring ({@code
   * Platform.builder().keyRing(...)}, AES-GCM).
   */
  static Password of(String password) {
    return new Stored(password);
  }

  /**
   * A reference resolved by the plugin's {@link SecretSource} when connecting; it must be one of
   * the names the setting {@code sql.secretNames} allows (default {@code FP_SQL_SECRET_*}).
   */
  static Password fromSecret(String reference) {
    return new Secret(reference);
  }

  /** No password. */
  final class None implements Password {
    static final None INSTANCE = new None();

    private None() {}

    @Override
    public String toString() {
      return "none";
    }
  }

  /** A password to store encrypted. */
  final class Stored implements Password {
    private final String password;

    private Stored(String password) {
      this.password = requireNonNull(password, "password is null");
    }

    String reveal() {
      return password;
    }

    @Override
    public String toString() {
      return "******";
    }
  }

  /**
   * A reference to a secret.
   *
   * @param reference what the secret source resolves, e.g. an environment variable name
   */
  record Secret(String reference) implements Password {
    public Secret {
      requireNonNull(reference, "reference is null");
    }

    @Override
    public String toString() {
      return "secret:" + reference;
    }
  }
}
