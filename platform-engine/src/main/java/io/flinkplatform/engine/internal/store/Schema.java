package io.flinkplatform.engine.internal.store;

import io.flinkplatform.engine.PlatformException;
import io.flinkplatform.engine.SchemaMode;
import io.flinkplatform.spi.TaskPlugin;
import java.util.Locale;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies or checks the versioned migrations shipped in this jar, with Flyway. */
public final class Schema {
  static final String LOCATION = "classpath:io/flinkplatform/engine/db/migration";
  static final String HISTORY_TABLE = "flink_platform_schema_history";
  private static final Logger LOG = LoggerFactory.getLogger(Schema.class);

  private Schema() {}

  public static void apply(DataSource dataSource, SchemaMode mode) {
    apply(
        dataSource,
        mode,
        "platform",
        LOCATION,
        HISTORY_TABLE,
        false,
        Schema.class.getClassLoader());
  }

  /** Applies or checks a plugin's own migrations, with a history table of its own. */
  public static void applyPlugin(DataSource dataSource, SchemaMode mode, TaskPlugin plugin) {
    plugin
        .schemaLocation()
        .ifPresent(
            location -> {
              String name = plugin.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
              apply(
                  dataSource,
                  mode,
                  "plugin " + plugin.name(),
                  location.startsWith("classpath:") ? location : "classpath:" + location,
                  HISTORY_TABLE + "_" + name,
                  true,
                  plugin.getClass().getClassLoader());
            });
  }

  private static void apply(
      DataSource dataSource,
      SchemaMode mode,
      String owner,
      String location,
      String historyTable,
      boolean sharedSchema,
      ClassLoader loader) {
    if (mode == SchemaMode.NONE) {
      return;
    }
    Flyway flyway =
        Flyway.configure(loader)
            .dataSource(dataSource)
            .locations(location)
            .table(historyTable)
            // a plugin's tables live next to the platform's: its first history starts at "0"
            .baselineOnMigrate(sharedSchema)
            .baselineVersion("0")
            .load();
    try {
      if (mode == SchemaMode.MIGRATE) {
        int applied = flyway.migrate().migrationsExecuted;
        LOG.info("{} schema is current ({} migration(s) applied now)", owner, applied);
      } else {
        flyway.validate();
        LOG.info("{} schema validated", owner);
      }
    } catch (FlywayException e) {
      throw new PlatformException(
          owner
              + " schema "
              + mode.name().toLowerCase(Locale.ROOT)
              + " failed: "
              + e.getMessage()
              + (mode == SchemaMode.VALIDATE
                  ? "; apply the SQL files under " + location + " or start with SchemaMode.MIGRATE"
                  : ""),
          e);
    }
  }
}
