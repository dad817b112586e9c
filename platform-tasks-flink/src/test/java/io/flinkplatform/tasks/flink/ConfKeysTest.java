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
                                && p.contains("rule 'env.java.opts*'"))
                    .anyMatch(
                        p ->
                            p.contains("option 'sql', line 2, column 1: SET 'pipeline.jars'")
                                && p.contains("flink.allowed-conf-keys"))
                    .noneMatch(p -> p.contains("parallelism.default")));
    assertThat(strict.workflow("redirect")).isEmpty();
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
