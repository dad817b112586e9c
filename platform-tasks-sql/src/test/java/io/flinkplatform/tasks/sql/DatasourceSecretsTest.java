package io.flinkplatform.tasks.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.KeyRing;
import io.flinkplatform.engine.testing.Await;
import io.flinkplatform.engine.testing.TestTaskContext;
import io.flinkplatform.spi.PluginContext;
import io.flinkplatform.spi.SecretNames;
import io.flinkplatform.spi.Secrets;
import io.flinkplatform.spi.TaskOutcome;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Datasource secrets: refused in URLs, sealed at rest bound to where they are sent, rotated, read
 * from the old format, and secret references restricted; plus connections that fail fast, tests
 * that end, and pools of datasources deleted elsewhere that close.
 */
class DatasourceSecretsTest {
  private static final String SECRET = "S3cr3tXy";
  private static final String PASSWORD = "Seal3d-pw;'";
  private static final String NEW_KEY;

  static {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) 9);
    NEW_KEY = Base64.getEncoder().encodeToString(key);
  }

  @Test
  void everyWayOfPuttingAPasswordInTheUrlIsRefused() {
    for (String url :
        List.of(
            "jdbc:mysql://db:3306/dw?user=etl&password1=" + SECRET,
            "jdbc:mysql://address=(host=db)(port=3306)(password=" + SECRET + ")/dw",
            "jdbc:hive2://hs2:10000/default;ssl=true;trustStorePassword=" + SECRET,
            "jdbc:oracle:thin:scott/" + SECRET + "@db:1521:orcl",
            "jdbc:postgresql://db/dw?sslpassword=" + SECRET,
            "jdbc:mysql://etl:" + SECRET + "@db/dw",
            "jdbc:mysql://db/dw?password=" + SECRET)) {
      DatasourceSpec.Builder spec = DatasourceSpec.builder("leaky", DatasourceType.GENERIC, url);
      assertThatThrownBy(spec::build)
          .as(url)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("url must not hold a password")
          .hasMessageNotContaining(SECRET);
    }
    assertThat(
            DatasourceSpec.builder(
                    "fine",
                    DatasourceType.MYSQL,
                    "jdbc:mysql://db/dw?allowPublicKeyRetrieval=true&useSSL=false")
                .build()
                .url())
        .contains("allowPublicKeyRetrieval");
  }

  @Test
  void secretPropertiesAreSealedAndBoundToTheUrlTheyAreSentTo() throws Exception {
    try (SqlTestPlatform sql = new SqlTestPlatform()) {
      SqlTestPlatform.MariaDbTarget target = SqlTestPlatform.mariaDb();
      sql.registry()
          .create(
              DatasourceSpec.builder("sealed", DatasourceType.MARIADB, target.url())
                  .user("root")
                  .password(Password.of(PASSWORD))
                  .property("trustCertificateKeyStorePassword", SECRET)
                  .property("connectionAttributes", "program_name:fp")
                  .build());

      String[] stored = stored(sql, "sealed");
      assertThat(stored[0]).startsWith("v2:test1:");
      assertThat(String.join(" ", stored))
          .doesNotContain(SECRET)
          .doesNotContain(PASSWORD)
          .contains("trustCertificateKeyStorePassword=v2%3Atest1%3A");
      Datasource shown = sql.registry().get("sealed").orElseThrow();
      assertThat(shown.properties().get("trustCertificateKeyStorePassword")).isEqualTo("******");
      assertThat(shown.toString()).doesNotContain(SECRET);
      assertThat(sql.registry().test("sealed").ok()).isTrue();
      // a pool is built with the opened values, and HikariCP's debug log of it shows none
      assertThat(sql.run(SqlTestPlatform.task("sealed", "SELECT 1", Map.of())))
          .isInstanceOf(TaskOutcome.Success.class);
      java.nio.file.Path log = java.nio.file.Path.of("target", "sql-tests.log");
      if (java.nio.file.Files.exists(log)) {
        assertThat(java.nio.file.Files.readString(log))
            .contains("sql-sealed")
            .doesNotContain(SECRET)
            .doesNotContain(PASSWORD);
      }

      // Someone with write access to t_datasource points it at their own server.
      update(
          sql,
          "UPDATE t_datasource SET url = 'jdbc:mysql://127.0.0.1:1/evil' WHERE name = ?",
          "sealed");
      ConnectionCheck redirected = sql.registry().test("sealed");
      assertThat(redirected.ok()).isFalse();
      assertThat(redirected.message())
          .contains(
              "of datasource 'sealed' cannot be opened: a value sealed under key 'test1' does not"
                  + " open")
          .doesNotContain(PASSWORD);
    }
  }

  @Test
  void oldV1PasswordsAndClearPropertiesAreSealedAnewAndRotationMovesThemToTheNewKey()
      throws Exception {
    try (SqlTestPlatform sql = new SqlTestPlatform()) {
      String url = SqlTestPlatform.h2Url();
      // an H2 in-memory database takes the password of its first connection
      sql.registry()
          .create(
              DatasourceSpec.builder("first", DatasourceType.GENERIC, url)
                  .user("sa")
                  .password(Password.of(PASSWORD))
                  .build());
      assertThat(sql.registry().test("first").ok()).isTrue();
      // a row as the previous version wrote it
      update(
          sql,
          "INSERT INTO t_datasource (name, type, url, username, properties, password_encrypted,"
              + " version, created_at, updated_at) VALUES (?, 'GENERIC', '"
              + url
              + "', 'sa', 'IGNORE_UNKNOWN_SETTINGS=TRUE&tokenSetting=tok"
              + SECRET
              + "', '"
              + PasswordCipher.fromBase64(SqlTestPlatform.KEY).encrypt("old", PASSWORD)
              + "', 1, 0, 0)",
          "old");
      assertThat(sql.registry().test("old").ok()).isTrue();

      assertThat(sql.registry().reencrypt()).isEqualTo(1);

      String[] stored = stored(sql, "old");
      assertThat(stored[0]).startsWith("v2:test1:");
      assertThat(stored[1]).contains("tokenSetting=v2%3Atest1%3A").doesNotContain(SECRET);
      assertThat(sql.registry().test("old").ok()).isTrue();
      assertThat(sql.registry().reencrypt()).isZero();

      // rotation: a ring with a new active key and the old one to open; its start re-seals
      SqlTaskPlugin rotated = new SqlTaskPlugin();
      rotated.start(
          context(
              sql.platforms.dataSource(),
              Map.of(),
              KeyRing.builder()
                  .active("test2", NEW_KEY)
                  .retired("test1", SqlTestPlatform.KEY)
                  .build()));
      try {
        assertThat(stored(sql, "old")[0]).startsWith("v2:test2:");
        assertThat(stored(sql, "first")[0]).startsWith("v2:test2:");
        assertThat(rotated.datasources().test("old").ok()).isTrue();
        assertThat(rotated.datasources().test("first").ok()).isTrue();
        // an instance still on the old ring cannot open them, and says which key is missing
        assertThat(sql.registry().test("first").message())
            .isEqualTo(
                "the stored password of datasource 'first' cannot be opened: a value sealed under"
                    + " key 'test2' cannot be opened: the key ring holds [test1]");
      } finally {
        rotated.stop();
      }
    }
  }

  @Test
  void secretReferencesOutsideTheAllowedNamesAreRefusedAtSaveAndWhenConnecting() throws Exception {
    String rule =
        " is not one the platform's secretNames allow: [FP_SQL_TEST_*]"
            + " (Platform.builder().secretNames(...))";
    try (SqlTestPlatform sql = new SqlTestPlatform()) {
      assertThatThrownBy(
              () ->
                  sql.registry()
                      .create(
                          DatasourceSpec.builder(
                                  "home", DatasourceType.GENERIC, SqlTestPlatform.h2Url())
                              .password(Password.fromSecret("HOME"))
                              .build()))
          .isInstanceOf(SecretNotAllowedException.class)
          .hasMessage("datasource 'home': the secret 'HOME'" + rule);
      assertThat(sql.registry().get("home")).isEmpty();

      update(
          sql,
          "INSERT INTO t_datasource (name, type, url, properties, password_secret, version,"
              + " created_at, updated_at) VALUES (?, 'GENERIC', 'jdbc:h2:mem:x', '', 'PATH', 1, 0,"
              + " 0)",
          "sneaked");
      assertThat(sql.registry().test("sneaked").message())
          .isEqualTo("datasource 'sneaked': the secret 'PATH'" + rule);
    }
    SecretNames names = SecretNames.defaults();
    assertThat(names.allows("FP_SECRET_WAREHOUSE")).isTrue();
    assertThat(names.allows("PLATFORM_DB_PASSWORD")).isFalse();
  }

  @Test
  void passwordReferencesAreResolvedByThePlatformsSecretSourceAndNeverFromTheEnvironment()
      throws Exception {
    SqlTestPlatform.SECRETS.put("FP_SQL_TEST_H2", PASSWORD);
    // PATH is allowed here, and set in every environment: the plugin must not read it from there
    try (SqlTestPlatform sql = new SqlTestPlatform(b -> b.secretNames("FP_SQL_TEST_*", "PATH"))) {
      String url = SqlTestPlatform.h2Url();
      // an H2 in-memory database takes the password of its first connection
      sql.registry()
          .create(
              DatasourceSpec.builder("first", DatasourceType.GENERIC, url)
                  .user("sa")
                  .password(Password.of(PASSWORD))
                  .build());
      assertThat(sql.registry().test("first").ok()).isTrue();
      sql.registry()
          .create(
              DatasourceSpec.builder("referenced", DatasourceType.GENERIC, url)
                  .user("sa")
                  .password(Password.fromSecret("FP_SQL_TEST_H2"))
                  .build());
      assertThat(sql.registry().test("referenced").ok()).isTrue();
      assertThat(stored(sql, "referenced")[0]).isNull();

      sql.registry()
          .create(
              DatasourceSpec.builder("path", DatasourceType.GENERIC, url)
                  .user("sa")
                  .password(Password.fromSecret("PATH"))
                  .build());
      assertThat(System.getenv("PATH")).isNotNull();
      assertThat(sql.registry().test("path").message())
          .isEqualTo(
              "the secret 'PATH' of datasource 'path' is not available from the secret source");
    } finally {
      SqlTestPlatform.SECRETS.remove("FP_SQL_TEST_H2");
    }
    // the plugin's own list of earlier versions is refused rather than silently ignored
    try (SqlTestPlatform sql = new SqlTestPlatform()) {
      SqlTaskPlugin old = new SqlTaskPlugin();
      assertThatThrownBy(
              () ->
                  old.start(
                      context(
                          sql.platforms.dataSource(),
                          Map.of("sql.secretNames", "FP_SQL_SECRET_*"),
                          SqlTestPlatform.RING)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "sql.secretNames is no longer read: datasource password references follow the"
                  + " platform's secret names, Platform.builder().secretNames(...) (now"
                  + " [FP_SECRET_*])");
    }
  }

  @Test
  void anUnreachableDatasourceFailsAtOnceWithTheDriversReason() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    try (SqlTestPlatform sql =
        new SqlTestPlatform(b -> b.pluginSetting("sql.connectionTimeout", "60s"))) {
      sql.registry()
          .create(
              DatasourceSpec.builder(
                      "refusing", DatasourceType.MARIADB, "jdbc:mysql://127.0.0.1:" + closed + "/x")
                  .user("root")
                  .build());
      long start = System.nanoTime();
      TaskOutcome outcome = sql.run(SqlTestPlatform.task("refusing", "SELECT 1", Map.of()));
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(outcome).isInstanceOf(TaskOutcome.Failure.class);
      assertThat(((TaskOutcome.Failure) outcome).message())
          .startsWith("could not connect to datasource 'refusing': ")
          .contains("Connection refused");
      assertThat(took).isLessThan(Duration.ofSeconds(30)); // the pool waited 60 s before
    }
  }

  @Test
  void aTestOfAServerThatNeverAnswersEndsAndLeavesNoConnectRunning() throws Exception {
    try (Tarpit tarpit = new Tarpit();
        SqlTestPlatform sql =
            new SqlTestPlatform(b -> b.pluginSetting("sql.connectionTimeout", "2s"))) {
      sql.registry().create(tarpit.datasource(Map.of()));

      long start = System.nanoTime();
      ConnectionCheck check = sql.registry().test("tarpit");

      assertThat(check.ok()).isFalse();
      // whichever ends first, the check's wait or the driver's socket timeout (set to the same)
      assertThat(check.message()).isEqualTo("no answer within 2000 ms");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
      Await.until(Duration.ofSeconds(30), () -> connectThreads().isEmpty());
      assertThat(tarpit.accepted).isNotEmpty();
    }
  }

  @Test
  void aDatasourcesOwnShorterSocketTimeoutIsReportedAsTheDriverSaysIt() throws Exception {
    try (Tarpit tarpit = new Tarpit();
        SqlTestPlatform sql =
            new SqlTestPlatform(b -> b.pluginSetting("sql.connectionTimeout", "10s"))) {
      sql.registry().create(tarpit.datasource(Map.of("socketTimeout", "300")));

      ConnectionCheck check = sql.registry().test("tarpit");

      assertThat(check.ok()).isFalse();
      assertThat(check.message()).startsWith("[SQLState 08S01] Communications link failure");
      assertThat(check.took()).isLessThan(Duration.ofSeconds(10));
      Await.until(Duration.ofSeconds(30), () -> connectThreads().isEmpty());
    }
  }

  /** A server that accepts connections and never says a word. */
  private static final class Tarpit implements AutoCloseable {
    final List<Socket> accepted = java.util.Collections.synchronizedList(new ArrayList<>());
    private final ServerSocket server = new ServerSocket(0);

    Tarpit() throws IOException {
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    accepted.add(server.accept());
                  }
                } catch (IOException e) {
                  // closed at the end of the test
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
    }

    DatasourceSpec datasource(Map<String, String> properties) {
      return DatasourceSpec.builder(
              "tarpit",
              DatasourceType.MARIADB,
              "jdbc:mysql://127.0.0.1:" + server.getLocalPort() + "/x")
          .user("root")
          .properties(properties)
          .build();
    }

    @Override
    public void close() throws IOException {
      server.close();
      synchronized (accepted) {
        for (Socket s : accepted) {
          s.close();
        }
      }
    }
  }

  /** Threads inside a MySQL driver's connect. */
  private static List<Thread> connectThreads() {
    return Thread.getAllStackTraces().entrySet().stream()
        .filter(
            e ->
                Arrays.stream(e.getValue())
                    .anyMatch(
                        f ->
                            f.getClassName().equals("com.mysql.cj.jdbc.NonRegisteringDriver")
                                && f.getMethodName().equals("connect")))
        .map(Map.Entry::getKey)
        .toList();
  }

  @Test
  void aDatasourceDeletedOnAnotherInstanceHasItsPoolClosedHere() throws Exception {
    try (SqlTestPlatform sql = new SqlTestPlatform()) {
      SqlTestPlatform.MariaDbTarget target = SqlTestPlatform.mariaDb();
      sql.registry()
          .create(
              DatasourceSpec.builder("shared", DatasourceType.MARIADB, target.url())
                  .user("root")
                  .build());
      SqlTaskPlugin other = new SqlTaskPlugin();
      other.start(
          context(
              sql.platforms.dataSource(),
              Map.of("sql.poolSweepInterval", "200ms"),
              SqlTestPlatform.RING));
      try {
        TestTaskContext task = SqlTestPlatform.task("shared", "SELECT 1", Map.of());
        assertThat(other.taskTypes().get(0).execute(task)).isInstanceOf(TaskOutcome.Success.class);
        assertThat(other.datasources().pools().names()).containsExactly("shared");

        assertThat(sql.registry().delete("shared")).isTrue();

        Await.until(Duration.ofSeconds(20), () -> other.datasources().pools().names().isEmpty());
      } finally {
        other.stop();
      }
    }
  }

  @Test
  void largeValuesAreReadOnlyAsFarAsTheyAreShown() throws Exception {
    try (SqlTestPlatform sql = new SqlTestPlatform()) {
      SqlTestPlatform.MariaDbTarget target = SqlTestPlatform.mariaDb();
      sql.registry()
          .create(
              DatasourceSpec.builder("big", DatasourceType.MARIADB, target.url())
                  .user("root")
                  .build());
      TestTaskContext task =
          SqlTestPlatform.task(
              "big",
              "SELECT REPEAT('x', 3000000) AS t, CAST(REPEAT('ab', 1000000) AS BINARY) AS b,"
                  + " 'short' AS s",
              Map.of("outputRows", 1));
      TaskOutcome outcome = sql.run(task);

      assertThat(outcome).isInstanceOf(TaskOutcome.Success.class);
      Map<String, String> outputs = ((TaskOutcome.Success) outcome).outputs();
      assertThat(outputs.get("t")).hasSize(ResultTable.MAX_VALUE_CHARS + 1).endsWith("x…");
      assertThat(outputs.get("b"))
          .hasSize(ResultTable.MAX_VALUE_CHARS + 1)
          .startsWith("0x6162")
          .endsWith("…");
      assertThat(outputs.get("s")).isEqualTo("short");
    }
  }

  private static String[] stored(SqlTestPlatform sql, String name) throws Exception {
    try (Connection c = sql.platforms.dataSource().getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT password_encrypted, properties, url FROM t_datasource WHERE name = ?")) {
      s.setString(1, name);
      try (ResultSet rs = s.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return new String[] {rs.getString(1), rs.getString(2), rs.getString(3)};
      }
    }
  }

  private static void update(SqlTestPlatform sql, String statement, String name) throws Exception {
    try (Connection c = sql.platforms.dataSource().getConnection();
        PreparedStatement s = c.prepareStatement(statement)) {
      s.setString(1, name);
      s.executeUpdate();
    }
  }

  static PluginContext context(DataSource database, Map<String, String> settings, Secrets secrets) {
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

      @Override
      public Secrets secrets() {
        return secrets;
      }
    };
  }
}
