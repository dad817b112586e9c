package io.flinkplatform.tasks.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.Workspaces;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * A database the previous release made (the plugin's tables at V1, with a catalog, a function and a
 * savepoint record) moves into the default workspace with nothing lost.
 */
class FlinkWorkspacesMigrationTest {
  @Test
  void rowsOfThePreviousReleaseLandInTheDefaultWorkspace() throws Exception {
    try (TestPlatforms platforms = new TestPlatforms()) {
      // the platform's own tables first (an instance without the plugin), then the plugin's at V1
      platforms.start("before", b -> {}).close();
      Flyway.configure(FlinkTaskPlugin.class.getClassLoader())
          .dataSource(platforms.dataSource())
          .locations("classpath:" + FlinkTaskPlugin.SCHEMA)
          .table("flink_platform_schema_history_flink")
          .baselineOnMigrate(true)
          .baselineVersion("0")
          .target("1")
          .load()
          .migrate();
      update(
          platforms,
          "INSERT INTO t_catalog_info (name, catalog_type, default_database, options, created_at,"
              + " updated_at) VALUES ('old', 'generic_in_memory', 'db', '{\"k\":\"v\"}', 0, 0)");
      update(
          platforms,
          "INSERT INTO t_flink_function (name, class_name, jar_uri, created_at, updated_at)"
              + " VALUES ('old_fn', 'com.example.Old', NULL, 0, 0)");
      update(
          platforms,
          "INSERT INTO t_savepoint (workflow_name, task_id, attempt_id, job_id, kind, path,"
              + " created_at) VALUES ('etl', 't', 1, '"
              + "0".repeat(32)
              + "', 'SAVEPOINT', 'file:///sp/1', 0)");

      FlinkTaskPlugin plugin = new FlinkTaskPlugin();
      platforms.start("migrated", b -> b.plugin(plugin));

      assertThat(plugin.catalogs(Actor.SYSTEM, Workspaces.DEFAULT).list())
          .containsExactly(
              new CatalogInfo("old", "generic_in_memory", Optional.of("db"), Map.of("k", "v")));
      assertThat(plugin.functions(Actor.SYSTEM, Workspaces.DEFAULT).list())
          .containsExactly(new FunctionInfo("old_fn", "com.example.Old", Optional.empty()));
      assertThat(plugin.jobs().savepoints("etl", "t"))
          .extracting(SavepointRecord::path)
          .containsExactly("file:///sp/1");
      // a task of the default workspace still names them by their plain names
      FlinkStore store = plugin.runtime().store;
      assertThat(store.catalogs.named(Workspaces.DEFAULT, List.of("old"), store.access)).hasSize(1);
      assertThat(store.functions.named(Workspaces.DEFAULT, List.of("old_fn"), store.access))
          .hasSize(1);
      // and the next change of the catalog is its version 2
      assertThat(
              plugin
                  .catalogs(Actor.SYSTEM, Workspaces.DEFAULT)
                  .put(new CatalogInfo("old", "generic_in_memory", Optional.of("db2"), Map.of())))
          .isEqualTo(2);
    }
  }

  private static void update(TestPlatforms platforms, String sql) throws Exception {
    try (Connection c = platforms.dataSource().getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.executeUpdate();
    }
  }
}
