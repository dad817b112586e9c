package io.flinkplatform.engine.internal;

import io.flinkplatform.engine.PlatformException;
import io.flinkplatform.engine.SchemaMode;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies or checks the versioned migrations shipped in this jar, with Flyway. */
final class Schema {
  static final String LOCATION = "classpath:io/flinkplatform/engine/db/migration";
  static final String HISTORY_TABLE = "flink_platform_schema_history";
  private static final Logger LOG = LoggerFactory.getLogger(Schema.class);

  private Schema() {}

  static void apply(DataSource dataSource, SchemaMode mode) {
    if (mode == SchemaMode.NONE) {
      return;
    }
    Flyway flyway =
        Flyway.configure(Schema.class.getClassLoader())
            .dataSource(dataSource)
            .locations(LOCATION)
            .table(HISTORY_TABLE)
            .baselineOnMigrate(false)
            .load();
    try {
      if (mode == SchemaMode.MIGRATE) {
        int applied = flyway.migrate().migrationsExecuted;
        LOG.info("schema is current ({} migration(s) applied now)", applied);
      } else {
        flyway.validate();
        LOG.info("schema validated");
      }
    } catch (FlywayException e) {
      throw new PlatformException(
          "schema "
              + mode.name().toLowerCase()
              + " failed: "
              + e.getMessage()
              + (mode == SchemaMode.VALIDATE
                  ? "; apply the SQL files under " + LOCATION + " or start with SchemaMode.MIGRATE"
                  : ""),
          e);
    }
  }
}
