package io.flinkplatform.tasks.flink;

import io.flinkplatform.spi.Jdbc;
import java.sql.Types;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code t_catalog_info} table: the catalogs {@code flink_sql} tasks name, stored with their
 * secret options sealed ({@link CatalogSealing}) and read back opened; a catalog read that was
 * sealed by an older version or key is sealed anew.
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

  void put(CatalogInfo catalog) {
    String options = OptionsJson.write(sealing.sealed(catalog));
    long now = clock.millis();
    jdbc.update(
        "store catalog " + catalog.name(),
        "INSERT INTO t_catalog_info (name, catalog_type, default_database, options,"
            + " created_at, updated_at) VALUES (?,?,?,?,?,?) ON DUPLICATE KEY UPDATE"
            + " catalog_type = VALUES(catalog_type),"
            + " default_database = VALUES(default_database), options = VALUES(options),"
            + " updated_at = VALUES(updated_at)",
        s -> {
          s.setString(1, catalog.name());
          s.setString(2, catalog.type());
          if (catalog.defaultDatabase().isPresent()) {
            s.setString(3, catalog.defaultDatabase().get());
          } else {
            s.setNull(3, Types.VARCHAR);
          }
          s.setString(4, options);
          s.setLong(5, now);
          s.setLong(6, now);
        });
  }

  /** The named catalogs, in the order asked; throws naming the ones that do not exist. */
  List<CatalogInfo> named(List<String> names) {
    List<CatalogInfo> all =
        jdbc.query(
            "read catalogs",
            "SELECT name, catalog_type, default_database, options FROM t_catalog_info"
                + " ORDER BY name",
            Jdbc.none(),
            r ->
                new CatalogInfo(
                    r.getString(1),
                    r.getString(2),
                    Optional.ofNullable(r.getString(3)),
                    OptionsJson.read(r.getString(4))));
    List<CatalogInfo> opened = new ArrayList<>();
    for (CatalogInfo stored :
        ByName.pick(names, all, CatalogInfo::name, "catalog", "t_catalog_info")) {
      CatalogInfo plain = sealing.opened(stored);
      if (sealing.available() && !sealing.current(stored)) {
        try {
          put(plain); // stored by an older version, or under an older key: seal it anew
        } catch (RuntimeException e) {
          // the next read tries again; the task goes on with the opened options
        }
      }
      opened.add(plain);
    }
    return opened;
  }
}
