package io.flinkplatform.tasks.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * In shared mode no datasource may make its driver load an author's classes, files or the JVM's
 * credentials: refused when saved, and no connection opens for one stored before.
 */
class SqlSharedModeTest {
  private static SqlTestPlatform sql;
  private static SqlTestPlatform.MariaDbTarget target;

  @BeforeAll
  static void start() {
    sql = new SqlTestPlatform(b -> b.sharedMode(true));
    target = SqlTestPlatform.mariaDb();
  }

  @AfterAll
  static void stop() {
    sql.close();
  }

  @Test
  void driverSettingsThatLoadCodeFilesOrCredentialsAreRefusedAndNothingIsStored() {
    DatasourceRegistry registry = sql.registry();
    assertThatThrownBy(
            () ->
                registry.create(
                    DatasourceSpec.builder(
                            "infile",
                            DatasourceType.MARIADB,
                            target.url() + "&allowLocalInfile=true")
                        .build()))
        .isInstanceOf(DatasourceException.class)
        .hasMessageContaining("field 'url' holds a parameter refused in shared mode");
    assertThatThrownBy(
            () ->
                registry.create(
                    DatasourceSpec.builder("factory", DatasourceType.MYSQL, target.url())
                        .property("socketFactory", "com.example.Evil")
                        .build()))
        .isInstanceOf(DatasourceException.class)
        .hasMessageContaining("field 'properties' holds 'socketFactory'");
    assertThatThrownBy(
            () ->
                registry.create(
                    DatasourceSpec.builder("generic", DatasourceType.GENERIC, "jdbc:h2:mem:x")
                        .build()))
        .isInstanceOf(DatasourceException.class)
        .hasMessageContaining("type GENERIC is refused in shared mode");
    assertThat(registry.get("infile")).isEmpty();
    assertThat(registry.get("factory")).isEmpty();
    assertThat(registry.get("generic")).isEmpty();

    // a plain datasource is fine
    registry.create(DatasourceSpec.builder("plain", DatasourceType.MARIADB, target.url()).build());
    assertThat(registry.get("plain")).isPresent();
    assertThat(
            SharedModeDrivers.problem(
                "x", DatasourceType.POSTGRESQL, "jdbc:postgresql://h/db?sslfactory=a.B", Map.of()))
        .isPresent();
    assertThat(
            SharedModeDrivers.problem(
                "x", DatasourceType.HIVE, "jdbc:hive2://h:1/db;principal=hive/_HOST@R", Map.of()))
        .isEmpty();
  }
}
