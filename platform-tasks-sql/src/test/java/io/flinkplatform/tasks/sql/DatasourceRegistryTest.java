package io.flinkplatform.tasks.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.spi.PluginContext;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The datasource registry on the real platform database, with H2 and MariaDB as targets. */
class DatasourceRegistryTest {
  private static final String PASSWORD = "Reg1stry-S3cret;'\"";
  private static SqlTestPlatform sql;
  private static DatasourceRegistry registry;

  @BeforeAll
  static void start() {
    sql = new SqlTestPlatform();
    registry = sql.registry();
  }

  @AfterAll
  static void stop() {
    sql.close();
  }

  private static DatasourceSpec.Builder h2(String name) {
    return DatasourceSpec.builder(name, DatasourceType.GENERIC, SqlTestPlatform.h2Url())
        .user("sa")
        .password(Password.of(PASSWORD));
  }

  @Test
  void createListUpdateAndDelete() {
    Datasource created = registry.create(h2("crud").property("ACCESS_MODE_DATA", "rw").build());

    assertThat(created.version()).isEqualTo(1);
    assertThat(created.password()).isEqualTo(Datasource.PasswordKind.ENCRYPTED);
    assertThat(registry.get("crud")).contains(created);
    assertThat(registry.list()).extracting(Datasource::name).contains("crud");

    Datasource updated =
        registry.update(
            DatasourceSpec.builder("crud", DatasourceType.GENERIC, SqlTestPlatform.h2Url())
                .password(Password.fromSecret("FP_SQL_TEST_SECRET"))
                .build());

    assertThat(updated.version()).isEqualTo(2);
    assertThat(updated.createdAt()).isEqualTo(created.createdAt());
    assertThat(updated.password()).isEqualTo(Datasource.PasswordKind.SECRET);
    assertThat(updated.secretReference()).contains("FP_SQL_TEST_SECRET");
    assertThat(updated.properties()).isEmpty();
    assertThat(registry.delete("crud")).isTrue();
    assertThat(registry.delete("crud")).isFalse();
    assertThat(registry.get("crud")).isEmpty();
  }

  @Test
  void badSpecsReportEveryProblemAndWriteNothing() {
    assertThatThrownBy(
            () ->
                DatasourceSpec.builder(
                        "bad name!", DatasourceType.POSTGRESQL, "jdbc:mysql://u:pw@h/db")
                    .property("password", "x")
                    .password(Password.fromSecret(" "))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "invalid datasource 'bad name!': name 'bad name!' must be 1 to 64 letters, digits,"
                + " '_', '.' or '-', not starting with '.' or '-'; url of a POSTGRESQL datasource"
                + " must start with jdbc:postgresql:; url must not hold a password (user:password@,"
                + " user/password@ or a parameter such as password, sslpassword,"
                + " trustStorePassword); give it as the password or as a driver property, which are"
                + " stored sealed; properties must not hold 'password'; give it as the password"
                + " instead; password secret reference must not be blank");
    assertThatThrownBy(() -> DatasourceType.parse("oracle"))
        .hasMessage(
            "type 'oracle' is not one of [MYSQL, MARIADB, TIDB, CLICKHOUSE, HIVE, POSTGRESQL,"
                + " GENERIC]");
    assertThat(registry.list()).extracting(Datasource::name).doesNotContain("bad name!");
  }

  @Test
  void duplicatesAndUnknownNamesAreTypedErrors() {
    registry.create(h2("dup").build());

    assertThatThrownBy(() -> registry.create(h2("dup").build()))
        .isInstanceOf(DatasourceException.class)
        .hasMessage("datasource 'dup' already exists");
    assertThatThrownBy(() -> registry.update(h2("ghost").build()))
        .isInstanceOf(DatasourceNotFoundException.class)
        .hasMessageStartingWith("datasource 'ghost' does not exist; known datasources: [")
        .hasMessageContaining("dup");
  }

  @Test
  void thePasswordIsEncryptedAtRestAndNeverShown() throws Exception {
    Datasource created = registry.create(h2("at_rest").build());

    String stored;
    try (Connection c = sql.platforms.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT password_encrypted, properties, url FROM t_datasource"
                    + " WHERE name = 'at_rest'")) {
      rs.next();
      stored = rs.getString(1) + rs.getString(2) + rs.getString(3);
    }
    assertThat(stored).startsWith("v2:test1:").doesNotContain(PASSWORD).doesNotContain("S3cret");
    for (Object shown :
        List.of(
            created,
            h2("x").property("sslKeyPassword", PASSWORD).build(),
            registry,
            sql.plugin,
            Password.of(PASSWORD))) {
      assertThat(shown.toString()).doesNotContain(PASSWORD).doesNotContain("S3cret");
    }
    assertThat(h2("x").property("sslKeyPassword", "v").build().toString())
        .contains("sslKeyPassword=******");
  }

  @Test
  void aConnectionTestReportsTheDatabaseOrWhatWentWrong() throws Exception {
    registry.create(h2("h2ok").build());
    registry.create(
        DatasourceSpec.builder("maria", DatasourceType.MARIADB, SqlTestPlatform.mariaDb().url())
            .user("root")
            .password(Password.of(PASSWORD))
            .build());
    registry.create(
        DatasourceSpec.builder(
                "h2_wrong", DatasourceType.GENERIC, registry.get("h2ok").orElseThrow().url())
            .user("sa")
            .password(Password.of("not-" + PASSWORD))
            .build());
    registry.create(
        DatasourceSpec.builder("pg", DatasourceType.POSTGRESQL, "jdbc:postgresql://127.0.0.1/x")
            .build());
    registry.create(
        DatasourceSpec.builder("nowhere", DatasourceType.GENERIC, "jdbc:nosuchdb://h/x").build());

    ConnectionCheck h2 = registry.test("h2ok");
    ConnectionCheck ok = registry.test("maria");
    ConnectionCheck wrong = registry.test("h2_wrong");

    assertThat(h2.ok()).isTrue();
    assertThat(h2.database()).startsWith("H2 2.");
    assertThat(ok.ok()).isTrue();
    assertThat(ok.database()).containsIgnoringCase("mariadb");
    assertThat(wrong.ok()).isFalse();
    assertThat(wrong.message())
        .contains("[SQLState 28000]", "Wrong user name or password")
        .doesNotContain(PASSWORD);
    assertThat(registry.test("pg"))
        .satisfies(c -> assertThat(c.ok()).isFalse())
        .extracting(ConnectionCheck::message)
        .isEqualTo(
            "datasource 'pg' (POSTGRESQL) needs the JDBC driver org.postgresql.Driver, which is"
                + " not on the class path; add the Maven artifact org.postgresql:postgresql to"
                + " the host application");
    assertThat(registry.test("nowhere").message())
        .isEqualTo(
            "datasource 'nowhere' (GENERIC): no JDBC driver on the class path accepts URLs"
                + " starting with 'jdbc:nosuchdb:'; add the Maven artifact of that database's"
                + " JDBC driver to the host application");
  }

  @Test
  void secretReferencesResolveFromThePlatformsSourceAndNeverFromTheEnvironment() {
    // surefire sets FP_SQL_TEST_SECRET in the environment; the platform's source does not have it
    assertThat(System.getenv("FP_SQL_TEST_SECRET")).isEqualTo("h2-secret-from-env");
    String url = SqlTestPlatform.h2Url();
    // The in-memory database is created with the password of its first connection.
    registry.create(
        DatasourceSpec.builder("env_first", DatasourceType.GENERIC, url)
            .user("sa")
            .password(Password.of("h2-secret-from-env"))
            .build());
    assertThat(registry.test("env_first").ok()).isTrue();
    registry.create(
        DatasourceSpec.builder("env", DatasourceType.GENERIC, url)
            .user("sa")
            .password(Password.fromSecret("FP_SQL_TEST_SECRET"))
            .build());
    registry.create(
        DatasourceSpec.builder("env_missing", DatasourceType.GENERIC, url)
            .user("sa")
            .password(Password.fromSecret("FP_SQL_TEST_NO_SUCH_VARIABLE"))
            .build());

    assertThat(registry.test("env").message())
        .isEqualTo(
            "the secret 'FP_SQL_TEST_SECRET' of datasource 'env' is not available from the secret"
                + " source");
    SqlTestPlatform.SECRETS.put("FP_SQL_TEST_SECRET", "h2-secret-from-env");
    try {
      assertThat(registry.test("env").ok()).isTrue();
    } finally {
      SqlTestPlatform.SECRETS.remove("FP_SQL_TEST_SECRET");
    }
    assertThat(registry.test("env_missing").message())
        .isEqualTo(
            "the secret 'FP_SQL_TEST_NO_SUCH_VARIABLE' of datasource 'env_missing' is not"
                + " available from the secret source");
  }

  @Test
  void storedPasswordsNeedTheKeyRingAndOnlyTheRightKeyOpens() {
    registry.create(h2("keyed").build());
    SqlTaskPlugin withoutKey = new SqlTaskPlugin();
    SqlTaskPlugin otherKey = new SqlTaskPlugin();
    withoutKey.start(context(sql.platforms.dataSource(), Map.of()));
    otherKey.start(
        DatasourceSecretsTest.context(
            sql.platforms.dataSource(),
            Map.of(),
            io.flinkplatform.engine.KeyRing.of("test1", PasswordCipherTest.OTHER_KEY)));
    try {
      assertThatThrownBy(() -> withoutKey.datasources().create(h2("nokey").build()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "datasource 'nokey' has a secret to store; the platform has no key ring: give one"
                  + " with Platform.builder().keyRing(...), or use Password.fromSecret(reference)");
      assertThat(withoutKey.datasources().test("keyed").message())
          .isEqualTo(
              "the stored password of datasource 'keyed' cannot be opened: no key ring is given:"
                  + " give one with Platform.builder().keyRing(...)");
      assertThat(otherKey.datasources().test("keyed").message())
          .isEqualTo(
              "the stored password of datasource 'keyed' cannot be opened: a value sealed under"
                  + " key 'test1' does not open: it was changed, or belongs to another row or other"
                  + " settings");
    } finally {
      withoutKey.stop();
      otherKey.stop();
    }
    assertThatThrownBy(withoutKey::datasources)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("the sql plugin is not started");
  }

  static PluginContext context(DataSource database, Map<String, String> settings) {
    return new PluginContext() {
      @Override
      public String instanceName() {
        return "other";
      }

      @Override
      public DataSource database() {
        return database;
      }

      @Override
      public Map<String, String> settings() {
        return settings;
      }

      @Override
      public Clock clock() {
        return Clock.systemUTC();
      }
    };
  }
}
