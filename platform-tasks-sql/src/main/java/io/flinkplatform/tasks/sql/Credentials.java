package io.flinkplatform.tasks.sql;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Turns a stored datasource password into the password itself, at the last moment: decrypts it, or
 * asks the secret source. What it returns must go straight to a driver, never to a log.
 */
final class Credentials {
  private final Optional<PasswordCipher> cipher;
  private final SecretSource secrets;

  Credentials(Optional<PasswordCipher> cipher, SecretSource secrets) {
    this.cipher = requireNonNull(cipher, "cipher is null");
    this.secrets = requireNonNull(secrets, "secrets is null");
  }

  /** The password of {@code row}, or {@code null} if it has none. */
  String password(DatasourceRow row) {
    if (row.passwordEncrypted() != null) {
      return cipher
          .orElseThrow(
              () ->
                  new DatasourceException(
                      "datasource '"
                          + row.name()
                          + "' has an encrypted password, but the setting "
                          + PasswordCipher.SETTING
                          + " is not given"))
          .decrypt(row.name(), row.passwordEncrypted());
    }
    if (row.passwordSecret() != null) {
      Optional<String> secret;
      try {
        secret = secrets.resolve(row.passwordSecret());
      } catch (RuntimeException e) {
        throw new DatasourceException(
            "the secret source failed to resolve '"
                + row.passwordSecret()
                + "' for datasource '"
                + row.name()
                + "' ("
                + e.getClass().getSimpleName()
                + ")");
      }
      return secret.orElseThrow(
          () ->
              new DatasourceException(
                  "the secret '"
                      + row.passwordSecret()
                      + "' of datasource '"
                      + row.name()
                      + "' is not available from the secret source"));
    }
    return null;
  }

  /** Encrypts a password to store for the datasource called {@code name}. */
  String encrypt(String name, String password) {
    return cipher
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "a stored password needs the setting "
                        + PasswordCipher.SETTING
                        + " (give it with Platform.builder().pluginSetting(\""
                        + PasswordCipher.SETTING
                        + "\", key)), or use Password.fromSecret(reference)"))
        .encrypt(name, password);
  }
}
