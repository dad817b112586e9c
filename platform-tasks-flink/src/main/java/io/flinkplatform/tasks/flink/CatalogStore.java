package io.flinkplatform.tasks.flink;

import io.flinkplatform.spi.Jdbc;
import io.flinkplatform.spi.Redaction;
import io.flinkplatform.spi.WorkspaceAccess;
import io.flinkplatform.spi.Workspaces;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The {@code t_catalog_info} table: the catalogs of each workspace that {@code flink_sql} tasks
 * name, stored with their secret options sealed ({@link CatalogSealing}) and read back opened; a
 * catalog read that was sealed by an older version or key is sealed anew.
 */
final class CatalogStore {
  private final Jdbc jdbc;
  private final Clock clock;
  private final CatalogSealing sealing;

  CatalogStore(Jdbc jdbc, Clock clock, CatalogSealing sealing) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.sealing = sealing;
  }

  /** Adds or replaces a catalog of the default workspace, without an audit row. */
  void put(CatalogInfo catalog) {
    put(Workspaces.DEFAULT, catalog);
  }

  /** Adds or replaces a catalog of {@code workspace}, without an audit row (re-sealing). */
  void put(String workspace, CatalogInfo catalog) {
    Definitions.checkName("catalog", catalog.name());
    String options = OptionsJson.write(sealing.sealed(workspace, catalog));
    jdbc.call(
        "store catalog " + catalog.name(),
        c -> {
          upsert(c, workspace, catalog, options, false);
          return null;
        });
  }

  /**
   * Adds or replaces a catalog of {@code workspace} and writes its audit row in the same
   * transaction; a catalog equal to the stored one changes nothing and writes no row.
   *
   * @return the catalog's version after the call
   */
  long save(String workspace, CatalogInfo catalog, Definitions.Auditor auditor) {
    Definitions.checkName("catalog", catalog.name());
    catalog
        .options()
        .forEach(
            (k, v) -> {
              if (Redaction.MASK.equals(v) && Redaction.isSecretName(k)) {
                throw new IllegalArgumentException(
                    "option '"
                        + k
                        + "' of catalog '"
                        + catalog.name()
                        + "' is the mask readers see, not a value: give the secret itself");
              }
            });
    String options = OptionsJson.write(sealing.sealed(workspace, catalog));
    return Definitions.inTransaction(
        jdbc,
        "store catalog " + catalog.name(),
        c -> {
          Optional<Stored> old = lock(c, workspace, catalog.name());
          List<String> changed = old.map(o -> changes(workspace, o.catalog, catalog)).orElse(null);
          if (changed != null && changed.isEmpty()) {
            return old.get().version;
          }
          upsert(c, workspace, catalog, options, old.isPresent());
          long version = old.map(o -> o.version + 1).orElse(1L);
          String digest =
              old.isEmpty()
                  ? "version 1; type "
                      + catalog.type()
                      + "; default_database "
                      + catalog.defaultDatabase().map(d -> "set").orElse("none")
                      + "; options "
                      + new TreeSet<>(catalog.options().keySet())
                  : "version " + version + "; changed " + changed;
          auditor.audit(
              c,
              old.isEmpty() ? "catalog.create" : "catalog.update",
              "catalog:" + catalog.name(),
              digest);
          return version;
        });
  }

  /** Deletes a catalog of {@code workspace} with its audit row; false if there was none. */
  boolean delete(String workspace, String name, Definitions.Auditor auditor) {
    return Definitions.inTransaction(
        jdbc,
        "delete catalog " + name,
        c -> {
          Optional<Stored> old = lock(c, workspace, name);
          if (old.isEmpty()) {
            return false;
          }
          try (PreparedStatement s =
              c.prepareStatement("DELETE FROM t_catalog_info WHERE workspace = ? AND name = ?")) {
            s.setString(1, workspace);
            s.setString(2, name);
            s.executeUpdate();
          }
          auditor.audit(
              c, "catalog.delete", "catalog:" + name, "version " + old.get().version + " deleted");
          return true;
        });
  }

  /** The catalogs of {@code workspace} as stored (secret option values sealed), by name. */
  List<CatalogInfo> stored(String workspace) {
    return jdbc.query(
        "read the catalogs of workspace " + workspace,
        "SELECT name, catalog_type, default_database, options FROM t_catalog_info"
            + " WHERE workspace = ? ORDER BY name",
        s -> s.setString(1, workspace),
        CatalogStore::catalog);
  }

  /** The named catalogs of the default workspace, in the order asked. */
  List<CatalogInfo> named(List<String> names) {
    return named(Workspaces.DEFAULT, names, null);
  }

  /**
   * The catalogs a task of {@code workspace} names, in the order asked, opened, each under its
   * plain name: {@code name} is one of the workspace's, {@code owner/name} one {@code owner}
   * granted ({@code access} asked again now, so a revoked grant fails here).
   *
   * @throws FlinkTaskException naming references that are not granted, or catalogs that do not
   *     exist (with the names the workspace has)
   */
  List<CatalogInfo> named(String workspace, List<String> refs, WorkspaceAccess access) {
    List<Workspaces.Ref> resolved =
        access == null
            ? refs.stream().map(r -> new Workspaces.Ref(workspace, r)).toList()
            : Definitions.resolve(
                workspace, FlinkOptions.CATALOGS, refs, WorkspaceAccess.CATALOG, access);
    Map<String, List<CatalogInfo>> byWorkspace = new LinkedHashMap<>();
    List<CatalogInfo> opened = new ArrayList<>();
    for (Workspaces.Ref ref : resolved) {
      List<CatalogInfo> all = byWorkspace.computeIfAbsent(ref.workspace(), this::stored);
      CatalogInfo stored =
          ByName.pick(
                  List.of(ref.name()),
                  all,
                  CatalogInfo::name,
                  "catalog",
                  ref.isIn(Workspaces.DEFAULT)
                      ? "t_catalog_info"
                      : "t_catalog_info of workspace '" + ref.workspace() + "'",
                  !ref.isIn(workspace))
              .get(0);
      CatalogInfo plain = sealing.opened(ref.workspace(), stored);
      if (sealing.available() && !sealing.current(stored)) {
        try {
          // stored by an older version, or under an older key: seal it anew
          put(ref.workspace(), plain);
        } catch (RuntimeException e) {
          // the next read tries again; the task goes on with the opened options
        }
      }
      opened.add(plain);
    }
    return opened;
  }

  private record Stored(CatalogInfo catalog, long version) {}

  private Optional<Stored> lock(Connection c, String workspace, String name) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT name, catalog_type, default_database, options, version FROM t_catalog_info"
                + " WHERE workspace = ? AND name = ? FOR UPDATE")) {
      s.setString(1, workspace);
      s.setString(2, name);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(new Stored(catalog(r), r.getLong(5))) : Optional.empty();
      }
    }
  }

  /** The fields {@code next} changes in {@code stored}, named; never a value. */
  private List<String> changes(String workspace, CatalogInfo stored, CatalogInfo next) {
    List<String> changed = new ArrayList<>();
    if (!stored.type().equals(next.type())) {
      changed.add("type");
    }
    if (!stored.defaultDatabase().equals(next.defaultDatabase())) {
      changed.add("default_database");
    }
    Map<String, String> before;
    try {
      before = sealing.opened(workspace, stored).options();
    } catch (FlinkTaskException e) {
      before = stored.options(); // cannot be opened: its sealed values count as changed
    }
    TreeSet<String> keys = new TreeSet<>(before.keySet());
    keys.addAll(next.options().keySet());
    for (String k : keys) {
      if (!Objects.equals(before.get(k), next.options().get(k))) {
        changed.add("options." + k);
      }
    }
    return changed;
  }

  private void upsert(
      Connection c, String workspace, CatalogInfo catalog, String options, boolean newVersion)
      throws SQLException {
    long now = clock.millis();
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO t_catalog_info (workspace, name, catalog_type, default_database,"
                + " options, version, created_at, updated_at) VALUES (?,?,?,?,?,1,?,?)"
                + " ON DUPLICATE KEY UPDATE catalog_type = VALUES(catalog_type),"
                + " default_database = VALUES(default_database), options = VALUES(options),"
                + " version = version + ?, updated_at = VALUES(updated_at)")) {
      s.setString(1, workspace);
      s.setString(2, catalog.name());
      s.setString(3, catalog.type());
      if (catalog.defaultDatabase().isPresent()) {
        s.setString(4, catalog.defaultDatabase().get());
      } else {
        s.setNull(4, Types.VARCHAR);
      }
      s.setString(5, options);
      s.setLong(6, now);
      s.setLong(7, now);
      s.setInt(8, newVersion ? 1 : 0);
      s.executeUpdate();
    }
  }

  private static CatalogInfo catalog(ResultSet r) throws SQLException {
    return new CatalogInfo(
        r.getString(1),
        r.getString(2),
        Optional.ofNullable(r.getString(3)),
        OptionsJson.read(r.getString(4)));
  }

  /** {@code catalog} with the values of its secret-looking options masked, for readers. */
  static CatalogInfo masked(CatalogInfo catalog) {
    return new CatalogInfo(
        catalog.name(),
        catalog.type(),
        catalog.defaultDatabase(),
        Redaction.properties(catalog.options()));
  }
}
