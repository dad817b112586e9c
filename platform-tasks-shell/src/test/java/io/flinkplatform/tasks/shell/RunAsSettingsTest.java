package io.flinkplatform.tasks.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.flinkplatform.spi.PluginContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The run-as settings: which workspace runs as whom, and typed refusals of bad settings. */
class RunAsSettingsTest {

  @Test
  void aWorkspaceGetsItsOwnUserElseTheOthersUserElseNone() {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv");
    RunAs runAs =
        RunAs.fromSettings(
            Map.of(
                "shell.runAs.etl", "etl-runner",
                "shell.runAsOthers", "tenant",
                "shell.hostName", "h1"));
    assertThat(runAs.userFor("etl")).contains("etl-runner");
    assertThat(runAs.settingFor("etl")).isEqualTo("shell.runAs.etl");
    assertThat(runAs.userFor("default")).contains("tenant");
    assertThat(runAs.settingFor("default")).isEqualTo("shell.runAsOthers");

    RunAs onlyOne = RunAs.fromSettings(Map.of("shell.runAs.etl", "etl-runner"));
    assertThat(onlyOne.userFor("default")).isEmpty();
    assertThat(RunAs.fromSettings(Map.of("shell.hostName", "h1")).configured()).isFalse();
  }

  @Test
  void theCommandSwitchesUidGidAndGroupsAndDropsCapabilities() {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv");
    RunAs runAs = RunAs.fromSettings(Map.of("shell.runAs.etl", "etl-runner"));
    assertThat(runAs.command(new RunAs.OsUser("etl-runner", 990, 991, "/home/etl")))
        .containsExactly(
            "/usr/bin/setpriv",
            "--reuid=990",
            "--regid=991",
            "--init-groups",
            "--inh-caps=-all",
            "--");
  }

  @Test
  void badSettingsStopThePluginNamingTheSetting() {
    assertThatThrownBy(() -> start(Map.of("shell.runAs.Not A Workspace", "u")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "shell.runAs.Not A Workspace: 'Not A Workspace' is not a workspace");
    assertThatThrownBy(() -> start(Map.of("shell.runAs.etl", "-rf")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("shell.runAs.etl: '-rf' is not an OS user name");
    assertThatThrownBy(() -> start(Map.of("shell.runAsOthers", "a b")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("shell.runAsOthers: 'a b' is not an OS user name");
  }

  @Test
  void lookupTellsAMissingUserApart() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/getent")), "needs getent");
    assertThat(RunAs.lookup("root").uid()).isZero();
    assertThatThrownBy(() -> RunAs.lookup("fp-no-such-user-" + System.nanoTime() % 1000))
        .isInstanceOf(RunAs.RunAsException.class)
        .hasMessageContaining("does not exist on this host");
  }

  private static void start(Map<String, String> settings) {
    new ShellTaskPlugin()
        .start(
            new PluginContext() {
              @Override
              public String instanceName() {
                return "settings";
              }

              @Override
              public DataSource database() {
                throw new AssertionError("the settings are checked before the database is used");
              }

              @Override
              public Map<String, String> settings() {
                return settings;
              }

              @Override
              public Clock clock() {
                return Clock.systemUTC();
              }
            });
  }
}
