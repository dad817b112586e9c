package io.flinkplatform.tasks.flink;

import io.flinkplatform.spi.Redaction;
import io.flinkplatform.spi.Secrets;
import io.flinkplatform.spi.Workspaces;
import java.util.Map;
import java.util.TreeMap;

/**
 * Seals and opens the secret-looking options of a catalog with the platform's cipher, each value
 * bound to the catalog's workspace, name, type, default database and clear options, so a sealed
 * value cannot be moved to another catalog, option or workspace. (A catalog of the default
 * workspace is bound as before workspaces existed, so values sealed then still open.)
 */
final class CatalogSealing {
  private final Secrets secrets;

  CatalogSealing(Secrets secrets) {
    this.secrets = secrets;
  }

  /** Whether the platform has a key ring. */
  boolean available() {
    return secrets.available();
  }

  /**
   * The options of {@code catalog} as stored: values of secret-looking names sealed. Without a key
   * ring, names that merely hold "key" stay in clear; password-like ones cannot be stored.
   */
  Map<String, String> sealed(String workspace, CatalogInfo catalog) {
    Map<String, String> stored = new TreeMap<>();
    catalog
        .options()
        .forEach(
            (k, v) -> {
              boolean seal =
                  Redaction.isSecretName(k)
                      && !secrets.isSealed(v)
                      && (secrets.available() || Redaction.isPasswordName(k));
              if (seal && !secrets.available()) {
                throw new IllegalStateException(
                    "catalog '"
                        + catalog.name()
                        + "' has the secret option '"
                        + k
                        + "' to store, but the platform has no key ring: give one with"
                        + " Platform.builder().keyRing(...)");
              }
              stored.put(k, seal ? secrets.seal(v, context(workspace, catalog, k)) : v);
            });
    return stored;
  }

  /** {@code stored} with its sealed option values opened. */
  CatalogInfo opened(String workspace, CatalogInfo stored) {
    Map<String, String> plain = new TreeMap<>();
    stored
        .options()
        .forEach(
            (k, v) -> {
              if (!secrets.isSealed(v)) {
                plain.put(k, v);
                return;
              }
              try {
                plain.put(k, secrets.open(v, context(workspace, stored, k)));
              } catch (Secrets.SecretsException e) {
                throw new FlinkTaskException(
                    "option '"
                        + k
                        + "' of catalog '"
                        + stored.name()
                        + "' cannot be opened: "
                        + e.getMessage());
              }
            });
    return new CatalogInfo(stored.name(), stored.type(), stored.defaultDatabase(), plain);
  }

  /** Whether every secret-looking option of {@code stored} is sealed under the active key. */
  boolean current(CatalogInfo stored) {
    return stored.options().entrySet().stream()
        .allMatch(
            e ->
                secrets.isSealed(e.getValue())
                    ? secrets.isCurrent(e.getValue())
                    : !Redaction.isSecretName(e.getKey()));
  }

  /** What a sealed option is bound to: the catalog and its options kept in clear. */
  private static String context(String workspace, CatalogInfo catalog, String option) {
    Map<String, String> clear = new TreeMap<>();
    catalog
        .options()
        .forEach(
            (k, v) -> {
              if (!Redaction.isSecretName(k)) {
                clear.put(k, v);
              }
            });
    return String.join(
        "\n",
        Workspaces.DEFAULT.equals(workspace)
            ? "t_catalog_info"
            : "t_catalog_info\nworkspace=" + workspace,
        catalog.name(),
        catalog.type(),
        catalog.defaultDatabase().orElse(""),
        OptionsJson.write(clear),
        option);
  }
}
