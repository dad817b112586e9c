package io.flinkplatform.tasks.flink;

import static io.flinkplatform.tasks.flink.LocalTargetTest.assertRun;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.WorkflowValidationException;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.testing.TestPlatforms;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tasks cannot set the Flink keys that decide where code or data goes: refused at deploy
 * (flink_conf and literal SET statements) and again when the attempt runs, unless
 * flink.allowed-conf-keys allows them.
 */
class ConfKeysTest {
  static TestPlatforms platforms;
  static PlatformClient strict;
  static PlatformClient lenient;
  static PlatformClient permissive;

  /** One key of each refused family, with the rule that refuses it. */
  static final Map<String, String> FAMILIES =
      Map.ofEntries(
          Map.entry("env.hadoop.conf.dir", "env.*"),
          Map.entry("env.yarn.conf.dir", "env.*"),
          Map.entry("env.java.opts.all", "env.*"),
          Map.entry("env.log.dir", "env.*"),
          Map.entry("env.pid.dir", "env.*"),
          Map.entry("security.kerberos.login.keytab", "security.*"),
          Map.entry("security.kerberos.login.principal", "security.*"),
          Map.entry("yarn.security.kerberos.localized-keytab-path", "yarn.security.*"),
          Map.entry("fs.allowed-fallback-filesystems", "fs.*"),
          Map.entry("fs.default-scheme", "fs.*"),
          Map.entry("fs.s3a.endpoint", "fs.*"),
          Map.entry("s3.access-key", "s3.*"),
          Map.entry("s3a.secret-key", "s3a.*"),
          Map.entry("presto.s3.endpoint", "presto.s3.*"),
          Map.entry("gs.writer.temporary.bucket.name", "gs.*"),
          Map.entry("python.executable", "python.*"),
          Map.entry("python.archives", "python.*"),
          Map.entry("python.files", "python.*"),
          Map.entry("python.requirements", "python.*"),
          Map.entry("kubernetes.config.file", "kubernetes.*"),
          Map.entry("containerized.master.env.LD_PRELOAD", "containerized.master.env.*"),
          Map.entry(
              "containerized.taskmanager.env.JAVA_TOOL_OPTIONS", "containerized.taskmanager.env.*"),
          Map.entry("yarn.application-master.env.LD_PRELOAD", "yarn.application-master.env.*"),
          Map.entry("yarn.taskmanager.env.LD_PRELOAD", "yarn.taskmanager.env.*"),
          Map.entry("yarn.tags", "yarn.tags"),
          Map.entry("execution.target", "execution.target"),
          Map.entry("$internal.pipeline.job-id", "$internal.*"),
          Map.entry("jobmanager.rpc.address", "jobmanager.rpc.*"),
          Map.entry("rest.bind-address", "rest.bind-*"),
          Map.entry("rest.bind-port", "rest.bind-*"),
          Map.entry("blob.server.port", "blob.server.*"),
          Map.entry("historyserver.archive.fs.dir", "historyserver.*"),
          Map.entry("metrics.reporter.out.factory.class", "metrics.reporter*"),
          Map.entry("metrics.reporters", "metrics.reporter*"),
          Map.entry("state.checkpoints.dir", "state.checkpoints.dir"),
          Map.entry("state.savepoints.dir", "state.savepoints.dir"),
          Map.entry("execution.checkpointing.dir", "execution.checkpointing.dir"),
          Map.entry(
              "execution.checkpointing.savepoint-dir", "execution.checkpointing.savepoint-dir"));

  /** Keys that redirect nothing: tasks set them without any allowance. */
  static final Map<String, String> HARMLESS =
      Map.of(
          "yarn.application.queue", "root.batch",
          "pipeline.name", "named-by-conf",
          "parallelism.default", "2",
          "execution.checkpointing.interval", "10s");

  @BeforeAll
  static void start() {
    platforms = new TestPlatforms();
    strict = platforms.start("strict", b -> b.plugin(new FlinkTaskPlugin())).client();
    // deploys what the strict instance refuses, and runs nothing itself
    Platform p =
        platforms.start(
            "lenient",
            b ->
                b.plugin(new FlinkTaskPlugin())
                    .workerThreads(0)
                    .pluginSetting(
                        "flink.allowed-conf-keys", "rest.address, yarn.*, pipeline.jars"));
    lenient = p.client();
    permissive =
        platforms
            .start(
                "permissive",
                b ->
                    b.plugin(new FlinkTaskPlugin())
                        .workerThreads(0)
                        .pluginSetting(
                            "flink.allowed-conf-keys", String.join(", ", FAMILIES.keySet())))
            .client();
  }

  @AfterAll
  static void stop() {
    platforms.close();
  }

  static Workflow withConf(String name, String sql, Map<String, String> conf) {
    return Workflow.builder(name)
        .task("t", "flink_sql", t -> t.option("sql", sql).option("flink_conf", conf))
        .build();
  }

  static final String DDL = "CREATE TABLE x (id BIGINT) WITH ('connector' = 'blackhole')";

  @Test
  void deployRefusesRestrictedKeysOfFlinkConfAndSetNamingEach() {
    assertThatThrownBy(
            () ->
                strict.deploy(
                    withConf(
                        "redirect",
                        DDL + ";\nSET 'pipeline.jars' = 'file:///etc/passwd.jar';\n" + DDL,
                        Map.of(
                            "rest.address", "attacker.example",
                            "env.java.opts.taskmanager", "-javaagent:/tmp/a.jar",
                            "parallelism.default", "2"))))
        .isInstanceOf(WorkflowValidationException.class)
        .satisfies(
            e ->
                assertThat(((WorkflowValidationException) e).problems())
                    .anyMatch(
                        p -> p.contains("option 'flink_conf': key 'rest.address' is reserved"))
                    .anyMatch(
                        p ->
                            p.contains("key 'env.java.opts.taskmanager' is reserved")
                                && p.contains("rule 'env.*'"))
                    .anyMatch(
                        p ->
                            p.contains("option 'sql', line 2, column 1: SET 'pipeline.jars'")
                                && p.contains("flink.allowed-conf-keys"))
                    .noneMatch(p -> p.contains("parallelism.default")));
    assertThat(strict.workflow("redirect")).isEmpty();
  }

  @Test
  void deployRefusesEachFamilyOfRedirectingKeysNamingTheKeyItsRuleAndTheSetting() {
    Map<String, String> conf = new java.util.HashMap<>(HARMLESS);
    FAMILIES.keySet().forEach(k -> conf.put(k, "x"));
    assertThatThrownBy(() -> strict.deploy(withConf("families", DDL, conf)))
        .isInstanceOf(WorkflowValidationException.class)
        .satisfies(
            e -> {
              java.util.List<String> problems = ((WorkflowValidationException) e).problems();
              FAMILIES.forEach(
                  (key, rule) ->
                      assertThat(problems)
                          .as(key)
                          .anyMatch(
                              p ->
                                  p.contains("option 'flink_conf': key '" + key + "' is reserved")
                                      && p.contains("rule '" + rule + "'")
                                      && p.contains("flink.allowed-conf-keys can allow it")));
              HARMLESS
                  .keySet()
                  .forEach(k -> assertThat(problems).noneMatch(p -> p.contains("'" + k + "'")));
            });
    assertThat(strict.workflow("families")).isEmpty();
    assertThatThrownBy(
            () ->
                strict.deploy(
                    withConf(
                        "families_set",
                        DDL + ";\nSET 'python.executable' = '/tmp/evil/python';\n" + DDL,
                        Map.of())))
        .isInstanceOf(WorkflowValidationException.class)
        .satisfies(
            e ->
                assertThat(((WorkflowValidationException) e).problems())
                    .anyMatch(
                        p ->
                            p.contains("line 2, column 1: SET 'python.executable' is reserved")
                                && p.contains("rule 'python.*'")));
  }

  @Test
  void eachFamilyDeploysWhereTheSettingListsItsKeys() {
    Map<String, String> conf = new java.util.HashMap<>(HARMLESS);
    FAMILIES.keySet().forEach(k -> conf.put(k, "x"));
    permissive.deploy(withConf("families_allowed", DDL, conf));
    assertThat(permissive.workflow("families_allowed")).isPresent();
    ConfKeys listed = new ConfKeys(Optional.of(String.join(",", FAMILIES.keySet())));
    FAMILIES.keySet().forEach(k -> assertThat(listed.refusal(k)).as(k).isEmpty());
    // listing one key of a family allows that key, not its siblings
    assertThat(listed.refusal("env.java.opts.taskmanager")).isPresent();
    assertThat(listed.refusal("fs.s3a.access.key")).isPresent();
  }

  @Test
  void keysThatRedirectNothingStayAllowed() {
    ConfKeys none = new ConfKeys(Optional.empty());
    HARMLESS.keySet().forEach(k -> assertThat(none.refusal(k)).as(k).isEmpty());
    FAMILIES.keySet().forEach(k -> assertThat(none.refusal(k)).as(k).isPresent());
  }

  @Test
  void allowedKeysDeployAndAreRefusedAgainWhereTheyAreNotAllowed() {
    // the lenient instance allows them; the strict one runs the attempt and refuses them
    lenient.deploy(withConf("conf_at_run", DDL, Map.of("rest.address", "attacker.example")));
    lenient.deploy(
        withConf("set_at_run", DDL + ";\n\nSET 'yarn.ship-files' = '/home';\n" + DDL, Map.of()));
    long conf = strict.trigger("conf_at_run");
    long set = strict.trigger("set_at_run");
    assertRun(strict, conf, 60, RunState.FAILED);
    assertRun(strict, set, 60, RunState.FAILED);
    TaskAttempt a = strict.attempts(conf).get(0);
    assertThat(a.message().orElseThrow())
        .contains("option 'flink_conf': key 'rest.address' is reserved");
    assertThat(strict.attempts(set).get(0).message().orElseThrow())
        .contains("line 3, column 1: SET 'yarn.ship-files' is reserved");
  }

  @Test
  void aRuleEndingInAStarMatchesEveryKeyItBeginsAndAllowedEntriesLiftSingleKeys() {
    ConfKeys none = new ConfKeys(Optional.empty());
    assertThat(none.refusal("security.kerberos.login.keytab")).isPresent();
    assertThat(none.refusal("high-availability.storageDir")).isPresent();
    assertThat(none.refusal("HIGH-AVAILABILITY")).isPresent();
    assertThat(none.refusal("execution.checkpointing.interval")).isEmpty();
    assertThat(none.refusal("pipeline.name")).isEmpty();
    ConfKeys some = new ConfKeys(Optional.of("yarn.ship-files,security.kerberos.*"));
    assertThat(some.refusal("yarn.ship-files")).isEmpty();
    assertThat(some.refusal("security.kerberos.login.keytab")).isEmpty();
    assertThat(some.refusal("security.ssl.enabled")).isPresent();
    assertThat(some.refusal("yarn.ship-archives")).isPresent();
  }
}
