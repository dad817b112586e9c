package io.flinkplatform.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.access.AuditEntry;
import io.flinkplatform.engine.access.AuditQuery;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.storage.BlobStore;
import io.flinkplatform.engine.storage.BlobStores;
import io.flinkplatform.engine.storage.ResourceInfo;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.OptionType;
import io.flinkplatform.spi.PluginContext;
import io.flinkplatform.spi.Role;
import io.flinkplatform.spi.StoredResources;
import io.flinkplatform.spi.TaskConfig;
import io.flinkplatform.spi.TaskContext;
import io.flinkplatform.spi.TaskOption;
import io.flinkplatform.spi.TaskOutcome;
import io.flinkplatform.spi.TaskPlugin;
import io.flinkplatform.spi.TaskType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploaded resources on the real database and a local resource store: versions and checksums,
 * names, no partial rows, deletes refused while referenced, and the plugins' view ({@link
 * StoredResources}): deploy-time checks, grants across workspaces, staging into the cache.
 */
class ResourcesTest {
  @TempDir Path dir;
  private TestPlatforms platforms;
  private Platform platform;
  private PlatformClient client;
  private final Staging staging = new Staging();

  @BeforeEach
  void start() {
    platforms = new TestPlatforms();
    platform =
        platforms.start(
            "res",
            b ->
                b.plugin(staging)
                    .resourceStore(BlobStores.local(dir.resolve("store")))
                    .resourceCacheDirectory(dir.resolve("cache")));
    client = platform.client();
  }

  @AfterEach
  void stop() {
    platforms.close();
  }

  private static InputStream text(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String sha256(String s) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  private long count(String sql) throws Exception {
    try (Connection c = platforms.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  private long blobs() throws IOException {
    Path store = dir.resolve("store");
    if (!Files.exists(store)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(store)) {
      return files.filter(Files::isRegularFile).count();
    }
  }

  @Test
  void eachUploadOfNewContentIsTheNextVersionWithItsChecksumAndAuditRow() throws Exception {
    ResourceInfo v1 = client.putResource("udfs.jar", text("one"));
    assertThat(v1.version()).isEqualTo(1);
    assertThat(v1.sha256()).isEqualTo(sha256("one"));
    assertThat(v1.size()).isEqualTo(3);
    assertThat(v1.workspace()).isEqualTo("default");
    assertThat(v1.createdBy()).isEqualTo("system");
    assertThat(v1.reference()).isEqualTo("resource:udfs.jar@1");

    // the same content again: that version, nothing written
    long audits = count("SELECT COUNT(*) FROM t_audit");
    assertThat(client.putResource("udfs.jar", text("one"))).isEqualTo(v1);
    assertThat(count("SELECT COUNT(*) FROM t_audit")).isEqualTo(audits);

    ResourceInfo v2 = client.putResource("udfs.jar", text("two!"));
    assertThat(v2.version()).isEqualTo(2);
    assertThat(v2.sha256()).isEqualTo(sha256("two!"));
    // content of an older version uploaded again is new relative to the latest: version 3
    assertThat(client.putResource("udfs.jar", text("one")).version()).isEqualTo(3);
    client.putResource("a.sh", text("echo a"));

    assertThat(client.resourceVersions("udfs.jar"))
        .extracting(ResourceInfo::version)
        .containsExactly(3, 2, 1);
    assertThat(client.resources())
        .extracting(ResourceInfo::name, ResourceInfo::version)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a.sh", 1),
            org.assertj.core.groups.Tuple.tuple("udfs.jar", 3));
    try (InputStream in = client.readResource("udfs.jar", 2)) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("two!");
    }
    assertThatThrownBy(() -> client.readResource("udfs.jar", 4))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("udfs.jar");
    assertThat(client.resourceVersions("nothing")).isEmpty();

    List<AuditEntry> audit = client.audit(AuditQuery.latest(10));
    AuditEntry second =
        audit.stream()
            .filter(a -> a.action().equals("resource.upload") && a.digest().contains("version 2"))
            .findFirst()
            .orElseThrow();
    assertThat(second.target()).isEqualTo("resource:udfs.jar");
    assertThat(second.digest()).contains(sha256("two!")).contains("4 bytes");
  }

  @Test
  void badNamesAreRefusedNamingTheFieldAndTheRuleWithNothingWritten() throws Exception {
    String tooLong = "a".repeat(192);
    for (String bad : new String[] {"", ".hidden", "../x", "a/b", "a b", "-x", tooLong, "é.jar"}) {
      assertThatThrownBy(() -> client.putResource(bad, text("x")))
          .as(bad)
          .isInstanceOfSatisfying(
              InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("name"))
          .hasMessageContaining("letters, digits, . _ or -")
          .hasMessageContaining("191");
    }
    assertThatThrownBy(() -> client.putResource(null, text("x")))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(client.putResource("a".repeat(191), text("x")).version()).isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM t_resource")).isEqualTo(1);
    assertThat(blobs()).isEqualTo(1);
    assertThatThrownBy(() -> client.readResource("x", 0))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("version"));
  }

  @Test
  void aFailedCommitLeavesNeitherRowNorBlobNorAuditRow() throws Exception {
    client.putResource("kept.jar", text("kept"));
    long audits = count("SELECT COUNT(*) FROM t_audit");
    try (Connection c = platforms.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TRIGGER refuse_resource BEFORE INSERT ON t_resource FOR EACH ROW"
              + " SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by the test'");
    }
    assertThatThrownBy(() -> client.putResource("lost.jar", text("lost")))
        .isInstanceOf(StoreException.class);
    assertThat(count("SELECT COUNT(*) FROM t_resource")).isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM t_audit")).isEqualTo(audits);
    assertThat(blobs()).isEqualTo(1);
  }

  @Test
  void aStoreThatCannotWriteLeavesNoRow() throws Exception {
    Platform broken =
        platforms.start("broken", b -> b.plugin(new Staging()).resourceStore(new FailingPuts(dir)));
    assertThatThrownBy(() -> broken.client().putResource("x.jar", text("x")))
        .isInstanceOf(PlatformException.class)
        .hasMessageContaining("could not store resource 'x.jar'")
        .hasMessageContaining("disk full");
    assertThat(count("SELECT COUNT(*) FROM t_resource")).isZero();
  }

  @Test
  void aReferencedResourceIsNotDeletedAndTheErrorListsWhoNamesIt() throws Exception {
    client.putResource("udfs.jar", text("jar"));
    client.putResource("free.txt", text("free"));
    client.deploy(
        Workflow.builder("etl")
            .task("load", "emit", t -> t.option("outputs", Map.of("jar", "resource:udfs.jar@1")))
            .build());
    client.deploy(
        Workflow.builder("etl")
            .task("load", "emit", t -> t.option("outputs", Map.of("x", "y")))
            .task(
                "sql", "emit", t -> t.option("outputs", Map.of("s", "ADD JAR 'resource:udfs.jar'")))
            .build());
    long audits = count("SELECT COUNT(*) FROM t_audit");
    assertThatThrownBy(() -> client.deleteResource("udfs.jar"))
        .isInstanceOfSatisfying(
            ResourceInUseException.class,
            e -> {
              assertThat(e.resource()).isEqualTo("udfs.jar");
              assertThat(e.references()).containsExactly("etl v1 task load", "etl v2 task sql");
            })
        .hasMessageContaining("etl v1 task load");
    assertThat(client.resourceVersions("udfs.jar")).hasSize(1);
    assertThat(count("SELECT COUNT(*) FROM t_audit")).isEqualTo(audits);

    assertThat(client.deleteResource("free.txt")).isTrue();
    assertThat(client.resourceVersions("free.txt")).isEmpty();
    assertThat(client.deleteResource("free.txt")).isFalse();
    assertThat(blobs()).isEqualTo(1);
    assertThat(client.audit(AuditQuery.latest(1)).get(0).action()).isEqualTo("resource.delete");
  }

  @Test
  void aReferenceFromAnotherWorkspaceAlsoKeepsTheResource() throws Exception {
    platform.admin(Actor.SYSTEM).createWorkspace("team", "");
    platform.admin(Actor.SYSTEM).createWorkspace("other", "");
    PlatformClient team = platform.client(Actor.SYSTEM, "team");
    team.putResource("lib.jar", text("lib"));
    team.grant("other", StoredResources.GRANT_KIND, "lib.jar");
    platform
        .client(Actor.SYSTEM, "other")
        .deploy(
            Workflow.builder("uses")
                .task("t", "staged", t -> t.option("ref", "resource:team/lib.jar"))
                .build());
    assertThatThrownBy(() -> team.deleteResource("lib.jar"))
        .isInstanceOfSatisfying(
            ResourceInUseException.class,
            e -> assertThat(e.references()).containsExactly("other/uses v1 task t"));
  }

  @Test
  void tasksResolveReferencesAtDeployAndStageVerifiedContentAtRunTime() throws Exception {
    client.putResource("script.sh", text("v1"));
    client.putResource("script.sh", text("v2"));
    client.deploy(
        Workflow.builder("w")
            .task("latest", "staged", t -> t.option("ref", "resource:script.sh"))
            .task("pinned", "staged", t -> t.option("ref", "resource:script.sh@1"))
            .build());
    long run = client.trigger("w");
    assertThat(client.awaitRun(run, Duration.ofSeconds(30)).state()).isEqualTo(RunState.SUCCESS);
    Map<String, Map<String, String>> outputs =
        client.attempts(run).stream()
            .collect(java.util.stream.Collectors.toMap(TaskAttempt::taskId, a -> a.outputs()));
    assertThat(outputs.get("latest")).containsEntry("content", "v2");
    assertThat(outputs.get("pinned")).containsEntry("content", "v1");
    assertThat(Path.of(outputs.get("pinned").get("path")))
        .isEqualTo(
            dir.resolve("cache").resolve(sha256("v1")).resolve("script.sh").toAbsolutePath());

    // a cached file whose content was changed is detected and fetched again
    // (its size differs); a blob changed in the store fails the checksum
    Path cached = Path.of(outputs.get("latest").get("path"));
    Files.writeString(cached, "tampered!");
    long again = client.trigger("w");
    assertThat(client.awaitRun(again, Duration.ofSeconds(30)).state()).isEqualTo(RunState.SUCCESS);
    assertThat(Files.readString(cached)).isEqualTo("v2");

    // deploy-time: unknown names and versions, malformed references
    assertThat(
            client.validate(
                Workflow.builder("bad")
                    .task("a", "staged", t -> t.option("ref", "resource:missing.jar"))
                    .task("b", "staged", t -> t.option("ref", "resource:script.sh@9"))
                    .task("c", "staged", t -> t.option("ref", "resource:../x"))
                    .build()))
        .anySatisfy(p -> assertThat(p).contains("no resource 'missing.jar'"))
        .anySatisfy(p -> assertThat(p).contains("'script.sh' of version 9"))
        .anySatisfy(p -> assertThat(p).contains("is not a resource reference"));
  }

  @Test
  void aBlobChangedInTheStoreFailsTheChecksum() throws Exception {
    client.putResource("data.txt", text("original"));
    Path blob;
    try (Stream<Path> files = Files.walk(dir.resolve("store"))) {
      blob = files.filter(Files::isRegularFile).findFirst().orElseThrow();
    }
    Files.writeString(blob, "changed");
    StoredResources resources = staging.context.resources();
    assertThatThrownBy(() -> resources.stage("default", "resource:data.txt"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("does not match its checksum");
    assertThat(dir.resolve("cache").resolve(sha256("original")).resolve("data.txt")).doesNotExist();
  }

  @Test
  void anotherWorkspacesResourceNeedsItsGrant() throws Exception {
    platform.admin(Actor.SYSTEM).createWorkspace("team", "");
    platform.admin(Actor.SYSTEM).createWorkspace("other", "");
    PlatformClient team = platform.client(Actor.SYSTEM, "team");
    team.putResource("lib.jar", text("lib"));
    client.putResource("lib.jar", text("default's own"));
    StoredResources resources = staging.context.resources();

    assertThat(resources.problem("other", "resource:team/lib.jar"))
        .hasValueSatisfying(p -> assertThat(p).contains("has not granted it"));
    assertThatThrownBy(() -> resources.stage("other", "resource:team/lib.jar"))
        .isInstanceOf(io.flinkplatform.spi.AccessDeniedException.class);
    // a plain name is the task's own workspace's, never another's
    assertThat(Files.readString(resources.stage("team", "resource:lib.jar"))).isEqualTo("lib");
    assertThat(resources.problem("other", "resource:lib.jar"))
        .hasValueSatisfying(p -> assertThat(p).contains("workspace 'other' has no resource"));

    team.grant("other", StoredResources.GRANT_KIND, "lib.jar");
    assertThat(resources.problem("other", "resource:team/lib.jar")).isEmpty();
    assertThat(Files.readString(resources.stage("other", "resource:team/lib.jar")))
        .isEqualTo("lib");
    team.revoke("other", StoredResources.GRANT_KIND, "lib.jar");
    assertThat(resources.problem("other", "resource:team/lib.jar")).isPresent();
  }

  @Test
  void aViewerReadsAndAnEditorChangesResources() throws Exception {
    platform.admin(Actor.SYSTEM).createWorkspace("team", "");
    PlatformClient admin = platform.client(Actor.SYSTEM, "team");
    admin.setMember("vera", Role.VIEWER);
    admin.setMember("ed", Role.EDITOR);
    PlatformClient viewer = platform.client(Actor.user("vera"), "team");
    PlatformClient editor = platform.client(Actor.user("ed"), "team");
    assertThatThrownBy(() -> viewer.putResource("x", text("x")))
        .isInstanceOf(io.flinkplatform.spi.AccessDeniedException.class)
        .hasMessageContaining("resource.upload");
    ResourceInfo put = editor.putResource("x", text("x"));
    assertThat(put.createdBy()).isEqualTo("ed");
    assertThat(put.workspace()).isEqualTo("team");
    assertThat(viewer.resources()).containsExactly(put);
    assertThat(client.resources()).isEmpty(); // the default workspace has none
  }

  /** A plugin whose task type stages its {@code ref} and returns the file's path and content. */
  static final class Staging implements TaskPlugin {
    volatile PluginContext context;

    @Override
    public String name() {
      return "staging";
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
              return "staged";
            }

            @Override
            public List<TaskOption> options() {
              return List.of(TaskOption.required("ref", OptionType.STRING, "a reference"));
            }

            @Override
            public List<String> validate(TaskConfig config, String workspace) {
              return context
                  .resources()
                  .problem(workspace, config.string("ref").orElseThrow())
                  .map(List::of)
                  .orElse(List.of());
            }

            @Override
            public TaskOutcome execute(TaskContext c) throws Exception {
              Path file =
                  context.resources().stage(c.workspace(), c.config().string("ref").orElseThrow());
              return TaskOutcome.success(
                  Map.of("path", file.toString(), "content", Files.readString(file)));
            }
          });
    }
  }

  /** A store whose writes fail, like a full disk. */
  static final class FailingPuts implements BlobStore {
    private final BlobStore reads;

    FailingPuts(Path dir) {
      this.reads = BlobStores.local(dir.resolve("failing"));
    }

    @Override
    public String describe() {
      return "failing";
    }

    @Override
    public void put(String key, InputStream data) throws IOException {
      throw new IOException("disk full");
    }

    @Override
    public Optional<InputStream> open(String key) throws IOException {
      return reads.open(key);
    }

    @Override
    public Optional<Long> size(String key) throws IOException {
      return reads.size(key);
    }

    @Override
    public List<String> list(String prefix) throws IOException {
      return reads.list(prefix);
    }

    @Override
    public boolean delete(String key) throws IOException {
      return reads.delete(key);
    }

    @Override
    public int deleteAll(String prefix) throws IOException {
      return reads.deleteAll(prefix);
    }
  }
}
