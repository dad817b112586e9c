package io.flinkplatform.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The owned pool's configuration never holds the URL or the password, and still connects. */
class OwnPoolConfigTest {
  private static final String SECRET = "S3cr3tXy";

  @Test
  void thePoolConfigurationHoldsNeitherUrlNorPassword() {
    HikariConfig config =
        OwnedPool.config(
            Platform.builder()
                .jdbcUrl("jdbc:mysql://h/db?sslpassword=" + SECRET + "&x=1", "root", SECRET)
                .build()
                .settings());

    // HikariCP's debug log of its configuration masks only a password= parameter and property
    assertThat(config.getJdbcUrl()).isNull();
    assertThat(config.getPassword()).isNull();
    assertThat(config.getDataSourceProperties()).isEmpty();
    assertThat(config.getDataSource().toString())
        .isEqualTo("UrlDataSource{jdbc:mysql://h/db?sslpassword=******&x=1}");
  }

  @Test
  void thePoolConnectsWithTheUserPasswordAndSessionSettings() throws Exception {
    HikariConfig config =
        OwnedPool.config(
            Platform.builder()
                .jdbcUrl(TestDatabase.get().newDatabaseUrl(), "root", "")
                .instanceName("own")
                .build()
                .settings());
    try (HikariDataSource pool = new HikariDataSource(config);
        Connection c = pool.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT @flink_platform, USER()")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(1);
      assertThat(rs.getString(2)).startsWith("root");
      assertThat(c.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_READ_COMMITTED);
    }
  }
}
