package io.flinkplatform.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.spi.PluginContext;
import io.flinkplatform.spi.Redaction;
import io.flinkplatform.spi.Secrets;
import io.flinkplatform.spi.TaskPlugin;
import io.flinkplatform.spi.TaskType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * No secret in the effective configuration, its log line or start errors; keys checked at start.
 */
class SecretsTest {
  private static final String SECRET = "S3cr3tXy";
  private static final String KEY_A = Base64.getEncoder().encodeToString(new byte[32]);
  private static final String KEY_B;

  static {
    byte[] b = new byte[32];
    b[0] = 7;
    KEY_B = Base64.getEncoder().encodeToString(b);
  }

  /** Every form a JDBC URL may carry a password in. */
  static final List<String> URLS_WITH_PASSWORDS =
      List.of(
          "jdbc:mysql://h:3306/db?user=root&password=" + SECRET,
          "jdbc:mysql://h:3306/db?user=etl&password1=" + SECRET,
          "jdbc:mysql://address=(host=h)(port=3306)(password=" + SECRET + ")/dw",
          "jdbc:mysql://root:" + SECRET + "@h:3306/db",
          "jdbc:hive2://hs2:10000/default;ssl=true;trustStorePassword=" + SECRET,
          "jdbc:oracle:thin:scott/" + SECRET + "@db:1521:orcl",
          "jdbc:postgresql://db/dw?sslpassword=" + SECRET + "&sslmode=require",
          "jdbc:sqlserver://db;user=sa;PWD=" + SECRET,
          "jdbc:sqlserver://db;user=sa;password={a;" + SECRET + "};encrypt=true");

  @Test
  void everyFormOfPasswordInAUrlIsFoundAndMasked() {
    for (String url : URLS_WITH_PASSWORDS) {
      assertThat(Redaction.urlHoldsPassword(url)).as(url).isTrue();
      assertThat(Redaction.url(url)).as(url).doesNotContain(SECRET).contains(Redaction.MASK);
    }
    assertThat(Redaction.url("jdbc:mysql://address=(host=h)(port=3306)(password=x)/dw"))
        .isEqualTo("jdbc:mysql://address=(host=h)(port=3306)(password=******)/dw");
    // SQL Server quotes a value holding ; in braces, and writes } inside them as }}
    assertThat(Redaction.url("jdbc:sqlserver://db;password={a;b}}c};encrypt=true"))
        .isEqualTo("jdbc:sqlserver://db;password=******;encrypt=true");
    for (String plain :
        List.of(
            "jdbc:mysql://h:3306/db?allowPublicKeyRetrieval=true&useSSL=false",
            "jdbc:postgresql://db/dw?sslmode=require",
            "jdbc:hive2://hs2:10000/default;ssl=true")) {
      assertThat(Redaction.urlHoldsPassword(plain)).as(plain).isFalse();
    }
  }

  @Test
  void theSettingsNeverShowAPasswordInTheUrl() {
    for (String url : URLS_WITH_PASSWORDS) {
      Platform p = Platform.builder().jdbcUrl(url, "u", SECRET).build();
      assertThat(p.settings().toString()).as(url).doesNotContain(SECRET);
    }
  }

  @Test
  void theStartingLineAndTheStartErrorNeverShowAPasswordInTheUrl() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    String url =
        "jdbc:mysql://127.0.0.1:" + closedPort + "/db?user=root&password=" + SECRET + "&x=1";
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    Throwable thrown;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      Platform p =
          Platform.builder()
              .jdbcUrl(url, "root", SECRET)
              .instanceName("masked")
              .discoverPlugins(false)
              .build();
      thrown = org.assertj.core.api.Assertions.catchThrowable(p::start);
    } finally {
      System.setErr(err);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    assertThat(log).contains("[masked] starting:").contains("password=******");
    assertThat(log).doesNotContain(SECRET);
    assertThat(thrown).isInstanceOf(PlatformException.class);
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      assertThat(String.valueOf(t.getMessage())).doesNotContain(SECRET);
    }
    assertThat(thrown.getMessage()).contains("cannot connect to", "password=******");
  }

  @Test
  void aStartErrorChainsNoDriverMessageThatShowsThePassword() {
    // Connector/J quotes the malformed part of the URL: "near '(password=S3cr3tXy'"
    String url = "jdbc:mysql://address=(host=127.0.0.1)(port=1)(password=" + SECRET + "/db";
    Platform p =
        Platform.builder()
            .jdbcUrl(url, "root", "")
            .instanceName("malformed")
            .discoverPlugins(false)
            .build();

    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(p::start);

    assertThat(thrown).isInstanceOf(PlatformException.class);
    assertThat(thrown.getMessage()).contains("cannot connect to", "Malformed database URL");
    assertThat(thrown.getCause()).isNotNull();
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      assertThat(String.valueOf(t.getMessage())).doesNotContain(SECRET);
    }
    java.io.StringWriter trace = new java.io.StringWriter();
    thrown.printStackTrace(new java.io.PrintWriter(trace));
    assertThat(trace.toString())
        .doesNotContain(SECRET)
        .contains("Caused by: com.mysql.cj.exceptions.WrongArgumentException: Malformed database")
        .contains("password=******");
  }

  @Test
  void aKeyRingSealsUnderItsActiveKeyAndOpensWithOlderOnes() {
    KeyRing first = KeyRing.of("k1", KEY_A);
    String sealed = first.seal(SECRET, "t/row1");
    KeyRing rotated = KeyRing.builder().active("k2", KEY_B).retired("k1", KEY_A).build();

    assertThat(sealed).startsWith("v2:k1:").doesNotContain(SECRET);
    assertThat(first.seal(SECRET, "t/row1")).isNotEqualTo(sealed);
    assertThat(rotated.open(sealed, "t/row1")).isEqualTo(SECRET);
    assertThat(rotated.isCurrent(sealed)).isFalse();
    assertThat(rotated.seal(SECRET, "t/row1")).startsWith("v2:k2:");
    assertThat(rotated.toString()).isEqualTo("KeyRing{active=k2, keys=[k2, k1]}");
    assertThatThrownBy(() -> first.open(sealed, "t/row2"))
        .isInstanceOf(Secrets.SecretsException.class)
        .hasMessageContaining("does not open");
    assertThatThrownBy(() -> KeyRing.of("k1", KEY_B).open(sealed, "t/row1"))
        .isInstanceOf(Secrets.SecretsException.class);
    assertThatThrownBy(() -> KeyRing.of("k3", KEY_B).open(sealed, "t/row1"))
        .hasMessage("a value sealed under key 'k1' cannot be opened: the key ring holds [k3]");
    assertThatThrownBy(() -> Secrets.none().seal(SECRET, "t"))
        .hasMessageContaining("Platform.builder().keyRing(");
  }

  @Test
  void aKeyRingIsReadFromAFileAndBadKeysAreNamedButNeverShown() throws Exception {
    Path file = Files.createTempFile("ring", ".keys");
    Files.writeString(file, "# rotated 2026-12\nk2=" + KEY_B + "\n\nk1 = " + KEY_A + "\n");
    KeyRing ring = KeyRing.fromFile(file);
    Files.delete(file);

    assertThat(ring.activeId()).isEqualTo("k2");
    assertThat(ring.ids()).containsExactly("k2", "k1");
    assertThat(ring.fingerprint("k1")).hasSize(32).isNotEqualTo(ring.fingerprint("k2"));
    String shortKey = Base64.getEncoder().encodeToString("short-key".getBytes());
    assertThatThrownBy(() -> KeyRing.parse("k1=" + shortKey))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("key 'k1' must be the Base64 form of a 16, 24 or 32 byte key")
        .hasMessageNotContaining(shortKey);
    assertThatThrownBy(() -> KeyRing.parse("k1=" + KEY_A + "\nk1=" + KEY_B))
        .hasMessage("key id 'k1' is given twice");
  }

  @Test
  void aWrongKeyUnderAKnownIdFailsTheStartWithoutShowingIt() {
    try (TestPlatforms platforms = new TestPlatforms()) {
      platforms.start("a", b -> b.keyRing(() -> KeyRing.of("k1", KEY_A))).stop();

      assertThatThrownBy(() -> platforms.start("b", b -> b.keyRing(() -> KeyRing.of("k1", KEY_B))))
          .isInstanceOf(PlatformException.class)
          .hasMessageContaining("the key 'k1' of the key ring is not the key recorded")
          .hasMessageNotContaining(KEY_B)
          .hasMessageNotContaining(KEY_A);
      Platform rotated =
          platforms.start(
              "c",
              b ->
                  b.keyRing(
                      () -> KeyRing.builder().active("k2", KEY_B).retired("k1", KEY_A).build()));
      assertThat(rotated.settings().toString()).contains("keyRing=given").doesNotContain(KEY_B);
    }
  }

  /** Records the settings and cipher it was given. */
  static final class SeeingPlugin implements TaskPlugin {
    private final String name;
    Map<String, String> settings;
    Secrets secrets;

    SeeingPlugin(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public List<TaskType> taskTypes() {
      return List.of();
    }

    @Override
    public void start(PluginContext context) {
      settings = context.settings();
      secrets = context.secrets();
    }
  }

  @Test
  void eachPluginSeesOnlyItsOwnSettingsAndThePlatformKeyRing() {
    SeeingPlugin sql = new SeeingPlugin("sql");
    SeeingPlugin shell = new SeeingPlugin("shell");
    try (TestPlatforms platforms = new TestPlatforms()) {
      platforms.start(
          "a",
          b ->
              b.plugin(sql)
                  .plugin(shell)
                  .keyRing(() -> KeyRing.of("k1", KEY_A))
                  .pluginSetting("sql.maxPoolSize", "2")
                  .pluginSetting("sqlx.other", "no")
                  .pluginSetting("shell.hostName", "h"));

      assertThat(sql.settings).isEqualTo(Map.of("sql.maxPoolSize", "2"));
      assertThat(shell.settings).isEqualTo(Map.of("shell.hostName", "h"));
      assertThat(sql.secrets.open(shell.secrets.seal("v", "c"), "c")).isEqualTo("v");
    }
    List<String> none = new ArrayList<>();
    SeeingPlugin alone = new SeeingPlugin("alone");
    try (TestPlatforms platforms = new TestPlatforms()) {
      platforms.start("b", b -> b.plugin(alone));
      none.add(String.valueOf(alone.secrets.available()));
    }
    assertThat(none).containsExactly("false");
  }

  @Test
  void secretNamesOutsideTheAllowListAreRefusedAtDeployAndNeverAskedForAtRunTime() {
    List<String> asked = java.util.Collections.synchronizedList(new ArrayList<>());
    VaultPlugin vault = new VaultPlugin();
    try (TestPlatforms platforms = new TestPlatforms()) {
      PlatformClient client =
          platforms
              .start(
                  "a",
                  b ->
                      b.plugin(vault)
                          .secretSource(
                              name -> {
                                asked.add(name);
                                return java.util.Optional.of(SECRET);
                              }))
              .client();
      io.flinkplatform.engine.dag.Workflow other =
          io.flinkplatform.engine.dag.Workflow.builder("other")
              .task("login", "vault_login", t -> t.option("token", "secret:PLATFORM_DB_PASSWORD"))
              .build();

      assertThat(client.validate(other))
          .containsExactly(
              "task 'login': option 'token': the secret 'PLATFORM_DB_PASSWORD' is not one the"
                  + " platform's secretNames allow: [FP_SECRET_*]"
                  + " (Platform.builder().secretNames(...))");
      assertThatThrownBy(() -> client.deploy(other))
          .isInstanceOf(WorkflowValidationException.class)
          .hasMessageContaining("secretNames allow: [FP_SECRET_*]");

      // at run time (a name a plugin stored, or took from elsewhere) the source is not asked
      assertThatThrownBy(() -> vault.context.secret("PLATFORM_DB_PASSWORD"))
          .isInstanceOf(io.flinkplatform.spi.SecretNames.SecretNotAllowedException.class)
          .hasMessage(
              "the secret 'PLATFORM_DB_PASSWORD' is not one the platform's secretNames allow:"
                  + " [FP_SECRET_*] (Platform.builder().secretNames(...))");
      assertThat(asked).isEmpty();
      assertThat(vault.context.secret("FP_SECRET_ETL")).contains(SECRET);
      assertThat(asked).containsExactly("FP_SECRET_ETL");
      assertThat(vault.context.secretNames().patterns()).containsExactly("FP_SECRET_*");
    }
    assertThatThrownBy(() -> Platform.builder().secretNames("*"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not '*' alone");
    assertThat(
            Platform.builder()
                .jdbcUrl("jdbc:mysql://h/db", "u", "")
                .secretNames("vault/etl/*", "ONE")
                .build()
                .settings()
                .toString())
        .contains("secretNames=[vault/etl/*, ONE]");
  }

  /** A task type with a secret option, resolved when it runs. */
  static final class VaultPlugin implements TaskPlugin {
    private volatile PluginContext context;

    @Override
    public String name() {
      return "vault";
    }

    @Override
    public void start(PluginContext context) {
      this.context = context;
    }

    @Override
    public List<TaskType> taskTypes() {
      return List.of(
          new TaskType() {
            @Override
            public String id() {
              return "vault_login";
            }

            @Override
            public List<io.flinkplatform.spi.TaskOption> options() {
              return List.of(
                  io.flinkplatform.spi.TaskOption.required(
                          "token", io.flinkplatform.spi.OptionType.STRING, "the login token")
                      .asSecret());
            }

            @Override
            public io.flinkplatform.spi.TaskOutcome execute(io.flinkplatform.spi.TaskContext ctx) {
              String name =
                  Secrets.referenceName(ctx.config().requireString("token")).orElseThrow();
              String token = context.secret(ctx.workspace(), name).orElseThrow();
              return new io.flinkplatform.spi.TaskOutcome.Success(
                  Map.of("tokenLength", Integer.toString(token.length())));
            }
          });
    }
  }

  @Test
  void secretOptionsAreReferencesResolvedWhenTheTaskRuns() throws Exception {
    try (TestPlatforms platforms = new TestPlatforms()) {
      PlatformClient client =
          platforms
              .start(
                  "a",
                  b ->
                      b.plugin(new VaultPlugin())
                          .secretNames("vault/*")
                          .secretSource(
                              name ->
                                  name.equals("vault/etl")
                                      ? java.util.Optional.of(SECRET)
                                      : java.util.Optional.empty()))
              .client();
      io.flinkplatform.engine.dag.Workflow literal =
          io.flinkplatform.engine.dag.Workflow.builder("literal")
              .task("login", "vault_login", t -> t.option("token", SECRET))
              .build();

      assertThat(client.validate(literal))
          .containsExactly(
              "task 'login': option 'token' is a secret: give a reference secret:NAME (NAME of"
                  + " letters, digits, _ . - /), resolved when the task runs; the secret itself is"
                  + " never stored");
      assertThatThrownBy(() -> client.deploy(literal))
          .isInstanceOf(WorkflowValidationException.class)
          .hasMessageNotContaining(SECRET);

      client.deploy(
          io.flinkplatform.engine.dag.Workflow.builder("referenced")
              .task("login", "vault_login", t -> t.option("token", "secret:vault/etl"))
              .build());
      long run = client.trigger("referenced");
      client.awaitRun(run, java.time.Duration.ofSeconds(30));

      assertThat(client.attempts(run))
          .singleElement()
          .satisfies(
              a ->
                  assertThat(a.outputs())
                      .containsEntry("tokenLength", Integer.toString(SECRET.length())));
    }
  }

  @Test
  void theKeyCheckTableHoldsFingerprintsOnly() throws Exception {
    try (TestPlatforms platforms = new TestPlatforms()) {
      platforms.start("a", b -> b.keyRing(() -> KeyRing.of("k1", KEY_A)));
      try (Connection c = platforms.dataSource().getConnection();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT key_id, fingerprint FROM t_key_check")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("k1");
        assertThat(rs.getString(2))
            .isEqualTo(KeyRing.of("k1", KEY_A).fingerprint("k1"))
            .doesNotContain(KEY_A);
      }
    }
  }

  @Test
  void aWorkspacesSecretReferencesReachOnlyItsOwnSecrets() throws Exception {
    List<String> asked = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.Map<String, String> vault =
        Map.of("FP_SECRET_DB", "the default workspace's", "team/FP_SECRET_DB", "the team's");
    try (TestPlatforms platforms = new TestPlatforms()) {
      Platform platform =
          platforms.start(
              "a",
              b ->
                  b.plugin(new VaultPlugin())
                      .secretSource(
                          name -> {
                            asked.add(name);
                            return java.util.Optional.ofNullable(vault.get(name));
                          }));
      platform.admin(io.flinkplatform.spi.Actor.SYSTEM).createWorkspace("team", "");
      io.flinkplatform.engine.dag.Workflow login =
          io.flinkplatform.engine.dag.Workflow.builder("login")
              .task("login", "vault_login", t -> t.option("token", "secret:FP_SECRET_DB"))
              .build();
      PlatformClient team = platform.client(io.flinkplatform.spi.Actor.SYSTEM, "team");
      team.deploy(login);
      long teamRun = team.trigger("login");
      team.awaitRun(teamRun, java.time.Duration.ofSeconds(30));
      PlatformClient host = platform.client();
      host.deploy(login);
      long hostRun = host.trigger("login");
      host.awaitRun(hostRun, java.time.Duration.ofSeconds(30));

      assertThat(team.attempts(teamRun).get(0).outputs())
          .containsEntry("tokenLength", Integer.toString("the team's".length()));
      assertThat(host.attempts(hostRun).get(0).outputs())
          .containsEntry("tokenLength", Integer.toString("the default workspace's".length()));
      assertThat(asked).containsExactly("team/FP_SECRET_DB", "FP_SECRET_DB");
    }
  }
}
