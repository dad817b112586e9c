package io.flinkplatform.tasks.sql;

import static java.util.Objects.requireNonNull;

/**
 * How a datasource gets its password: none, one given now and stored encrypted, or a reference
 * resolved by the platform's secret source when connections are made. {@link #toString()} never
 * shows a password.
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
   * A reference resolved when connecting by the platform's secret source ({@code
   * Platform.builder().secretSource(...)}, through {@code PluginContext.secret}); it must be one of
   * the names {@code Platform.builder().secretNames(...)} allows (default {@code FP_SECRET_*}),
   * checked when the datasource is saved and again when connecting.
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
   * @param reference the name the platform's secret source resolves
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
