package io.flinkplatform.tasks.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.KeyRing;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.spi.Secrets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Catalog options that look secret are sealed in t_catalog_info with the platform key ring. */
class CatalogSecretsTest {
  private static final String SECRET = "Cat4l0g-S3cret";
  private static final String KEY_1 = Base64.getEncoder().encodeToString(new byte[32]);
  private static final String KEY_2 = Base64.getEncoder().encodeToString(new byte[16]);

  private static final CatalogInfo JDBC =
      new CatalogInfo(
          "pg",
          "jdbc",
          Optional.of("dw"),
          Map.of("base-url", "jdbc:postgresql://db:5432", "username", "etl", "password", SECRET));

  @Test
  void secretOptionsAreSealedBoundToTheCatalogOpenedForTasksAndMovedToANewKey() throws Exception {
    KeyRing first = KeyRing.of("k1", KEY_1);
    try (TestPlatforms platforms = new TestPlatforms()) {
      platforms.start("a", b -> b.plugin(new FlinkTaskPlugin()).keyRing(() -> first));
      FlinkStore store = new FlinkStore(platforms.dataSource(), Clock.systemUTC(), first);

      store.catalogs.put(JDBC);

      assertThat(stored(platforms, "pg"))
          .doesNotContain(SECRET)
          .contains("\"password\":\"v2:k1:")
          .contains("\"base-url\":\"jdbc:postgresql://db:5432\"");
      assertThat(store.catalogs.named(List.of("pg"))).containsExactly(JDBC);
      assertThat(JDBC.toString()).doesNotContain(SECRET);

      // the row pointed at another server behind the platform's back: the password stays shut
      update(
          platforms, "UPDATE t_catalog_info SET options = REPLACE(options, 'db:5432', 'evil:1')");
      assertThatThrownBy(() -> store.catalogs.named(List.of("pg")))
          .isInstanceOf(FlinkTaskException.class)
          .hasMessageStartingWith("option 'password' of catalog 'pg' cannot be opened")
          .hasMessageNotContaining(SECRET);
      update(
          platforms, "UPDATE t_catalog_info SET options = REPLACE(options, 'evil:1', 'db:5432')");

      // rotation: read under a ring with a new active key re-seals the row
      KeyRing rotated = KeyRing.builder().active("k2", KEY_2).retired("k1", KEY_1).build();
      FlinkStore after = new FlinkStore(platforms.dataSource(), Clock.systemUTC(), rotated);
      assertThat(after.catalogs.named(List.of("pg"))).containsExactly(JDBC);
      assertThat(stored(platforms, "pg")).contains("\"password\":\"v2:k2:");

      // a catalog stored in clear by an older version is sealed on first read
      update(
          platforms,
          "INSERT INTO t_catalog_info (name, catalog_type, options, created_at, updated_at)"
              + " VALUES ('old', 'jdbc', '{\"password\":\""
              + SECRET
              + "\"}', 0, 0)");
      assertThat(after.catalogs.named(List.of("old")).get(0).options())
          .containsEntry("password", SECRET);
      assertThat(stored(platforms, "old")).doesNotContain(SECRET).contains("v2:k2:");
    }
  }

  @Test
  void withoutAKeyRingAPasswordOptionCannotBeStored() throws Exception {
    try (TestPlatforms platforms = new TestPlatforms()) {
      platforms.start("a", b -> b.plugin(new FlinkTaskPlugin()));
      FlinkStore store = new FlinkStore(platforms.dataSource(), Clock.systemUTC(), Secrets.none());

      assertThatThrownBy(() -> store.catalogs.put(JDBC))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "catalog 'pg' has the secret option 'password' to store, but the platform has no"
                  + " key ring: give one with Platform.builder().keyRing(...)");
      store.catalogs.put(new CatalogInfo("mem", "generic_in_memory", Optional.empty(), Map.of()));
      assertThat(store.catalogs.named(List.of("mem"))).hasSize(1);
    }
  }

  private static String stored(TestPlatforms platforms, String name) throws Exception {
    try (Connection c = platforms.dataSource().getConnection();
        PreparedStatement s =
            c.prepareStatement("SELECT options FROM t_catalog_info WHERE name = ?")) {
      s.setString(1, name);
      try (ResultSet rs = s.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getString(1);
      }
    }
  }

  private static void update(TestPlatforms platforms, String sql) throws Exception {
    try (Connection c = platforms.dataSource().getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.executeUpdate();
    }
  }
}
