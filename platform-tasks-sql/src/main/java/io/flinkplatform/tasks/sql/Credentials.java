package io.flinkplatform.tasks.sql;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.spi.SecretNames;
import io.flinkplatform.spi.Secrets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Seals what a datasource keeps secret (its password, the values of driver properties whose names
 * look secret) with the platform's key ring, and turns them back into plain values at the last
 * moment: opens them, or asks the platform's secret source ({@code PluginContext.secret}). What it
 * returns must go straight to a driver, never to a log. Values written by older versions ({@code
 * v1:} passwords, properties in clear) are still read; {@link DatasourceRegistry#reencrypt()} seals
 * them anew.
 */
final class Credentials {
  static final String NO_KEY_RING =
      "the platform has no key ring: give one with Platform.builder().keyRing(...), or use"
          + " Password.fromSecret(reference)";

  private final Secrets secrets;
  private final Optional<PasswordCipher> legacy;
  private final BiFunction<String, String, Optional<String>> source;
  private final SecretNames names;

  /**
   * @param source the platform's secret source by workspace ({@code PluginContext::secret}), which
   *     applies {@code names} again
   * @param names the platform's secret names ({@code PluginContext.secretNames()})
   */
  Credentials(
      Secrets secrets,
      Optional<PasswordCipher> legacy,
      BiFunction<String, String, Optional<String>> source,
      SecretNames names) {
    this.secrets = requireNonNull(secrets, "secrets is null");
    this.legacy = requireNonNull(legacy, "legacy is null");
    this.source = requireNonNull(source, "source is null");
    this.names = requireNonNull(names, "names is null");
  }

  /** The password of {@code row}, or {@code null} if it has none. */
  String password(DatasourceRow row) {
    if (row.passwordEncrypted() != null) {
      String stored = row.passwordEncrypted();
      if (stored.startsWith(PasswordCipher.VERSION)) {
        return legacy
            .orElseThrow(
                () ->
                    new DatasourceException(
                        "datasource '"
                            + row.name()
                            + "' has a password encrypted in the v1 format, but the setting "
                            + PasswordCipher.SETTING
                            + " is not given"))
            .decrypt(row.name(), stored);
      }
      return open(row, stored, "password", "the stored password");
    }
    if (row.passwordSecret() != null) {
      checkSecretName(row.name(), row.passwordSecret());
      Optional<String> secret;
      try {
        // resolved as the datasource's workspace names it: never another workspace's secret
        secret = source.apply(row.workspace(), row.passwordSecret());
      } catch (SecretNames.SecretNotAllowedException e) {
        throw new SecretNotAllowedException("datasource '" + row.name() + "': " + e.getMessage());
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

  /** The driver properties of {@code row}, sealed values opened. */
  Map<String, String> properties(DatasourceRow row) {
    Map<String, String> plain = new LinkedHashMap<>();
    row.properties()
        .forEach(
            (k, v) ->
                plain.put(
                    k,
                    secrets.isSealed(v)
                        ? open(row, v, "property/" + k, "property '" + k + "'")
                        : v));
    return plain;
  }

  /** The password sealed for {@code row} (whose other fields are final). */
  String sealPassword(DatasourceRow row, String password) {
    return seal(row, password, "password");
  }

  /**
   * {@code properties} with the values of secret-looking names sealed for {@code row}. Without a
   * key ring, names that merely hold {@code key} (such as {@code allowPublicKeyRetrieval}) stay in
   * clear, shown masked; password-like names cannot be stored.
   */
  Map<String, String> sealProperties(DatasourceRow row, Map<String, String> properties) {
    Map<String, String> stored = new LinkedHashMap<>();
    properties.forEach(
        (k, v) -> {
          boolean seal =
              Redaction.secretName(k)
                  && !secrets.isSealed(v)
                  && (secrets.available() || io.flinkplatform.spi.Redaction.isPasswordName(k));
          stored.put(k, seal ? seal(row, v, "property/" + k) : v);
        });
    return stored;
  }

  /** Whether the stored forms of {@code row} are all sealed under the active key. */
  boolean current(DatasourceRow row) {
    if (row.passwordEncrypted() != null && !secrets.isCurrent(row.passwordEncrypted())) {
      return false;
    }
    for (Map.Entry<String, String> e : row.properties().entrySet()) {
      if (secrets.isSealed(e.getValue())
          ? !secrets.isCurrent(e.getValue())
          : Redaction.secretName(e.getKey()) && secrets.available()) {
        return false;
      }
    }
    return true;
  }

  boolean canSeal() {
    return secrets.available();
  }

  /**
   * @throws SecretNotAllowedException naming the datasource, the reference and the allowed names
   */
  void checkSecretName(String datasource, String reference) {
    names
        .problem(reference)
        .ifPresent(
            p -> {
              throw new SecretNotAllowedException("datasource '" + datasource + "': " + p);
            });
  }

  private String seal(DatasourceRow row, String plain, String what) {
    if (!secrets.available()) {
      throw new IllegalStateException(
          "datasource '" + row.name() + "' has a secret to store; " + NO_KEY_RING);
    }
    return secrets.seal(plain, row.context(what));
  }

  private String open(DatasourceRow row, String sealed, String what, String shown) {
    try {
      return secrets.open(sealed, row.context(what));
    } catch (Secrets.SecretsException e) {
      throw new DatasourceException(
          shown + " of datasource '" + row.name() + "' cannot be opened: " + e.getMessage());
    }
  }
}
