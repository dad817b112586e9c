package io.flinkplatform.tasks.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.WorkflowValidationException;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.run.TaskAttempt;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.spi.Actor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resources of a workspace's shell tasks come from its own resource directory only. */
class ShellWorkspaceResourcesTest {
  @TempDir static Path resources;
  private static TestPlatforms platforms;
  private static Platform platform;

  @BeforeAll
  static void start() throws Exception {
    Files.writeString(resources.resolve("platform-secret.txt"), "the platform's own file");
    Files.createDirectories(resources.resolve("workspaces/team"));
    Files.writeString(resources.resolve("workspaces/team/job.txt"), "team file");
    platforms = new TestPlatforms();
    platform =
        platforms.start(
            "shell-ws",
            b ->
                b.plugin(new ShellTaskPlugin())
                    .pluginSetting("shell.resourceDirectory", resources.toString()));
    platform.admin(Actor.SYSTEM).createWorkspace("team", "");
  }

  @AfterAll
  static void stop() {
    platforms.close();
  }

  private static Workflow catting(String name, String source) {
    return Workflow.builder(name)
        .task(
            "cat",
            "shell",
            t -> t.option("command", "cat staged").option("resources", Map.of("staged", source)))
        .build();
  }

  @Test
  void aWorkspaceReadsRelativeSourcesFromItsOwnDirectory() {
    PlatformClient team = platform.client(Actor.SYSTEM, "team");
    team.deploy(catting("own", "job.txt"));
    long run = team.trigger("own");
    assertThat(team.awaitRun(run, Duration.ofSeconds(60)).state()).isEqualTo(RunState.SUCCESS);
    assertThat(team.log(team.attempts(run).get(0))).contains("team file");

    // the default workspace's files lie above it: not reachable with ..
    team.deploy(catting("escape", "../../platform-secret.txt"));
    long escape = team.trigger("escape");
    assertThat(team.awaitRun(escape, Duration.ofSeconds(60)).state()).isEqualTo(RunState.FAILED);
    TaskAttempt failed = team.attempts(escape).get(0);
    assertThat(failed.message()).hasValueSatisfying(m -> assertThat(m).contains("leaves"));
    assertThat(team.log(failed)).doesNotContain("the platform's own file");

    // nor does the default workspace reach into the team's directory
    PlatformClient host = platform.client();
    host.deploy(catting("peek", "workspaces/team/job.txt"));
    long peek = host.trigger("peek");
    assertThat(host.awaitRun(peek, Duration.ofSeconds(60)).state()).isEqualTo(RunState.FAILED);
    assertThat(host.attempts(peek).get(0).message())
        .hasValueSatisfying(m -> assertThat(m).contains("other workspaces' resources"));
  }

  @Test
  void aTaskOutsideTheDefaultWorkspaceRunsInAWorkingDirectoryOfItsOwn(@TempDir Path dir) {
    PlatformClient team = platform.client(Actor.SYSTEM, "team");
    Workflow named =
        Workflow.builder("named")
            .task(
                "t",
                "shell",
                t -> t.option("command", "true").option("workingDirectory", dir.toString()))
            .build();
    assertThatThrownBy(() -> team.deploy(named))
        .isInstanceOf(WorkflowValidationException.class)
        .hasMessageContaining("option 'workingDirectory': a task of workspace 'team'");
  }

  @Test
  void absolutePathsFileUrisAndTheClassPathAreRefusedAtDeployOutsideTheDefaultWorkspace() {
    PlatformClient team = platform.client(Actor.SYSTEM, "team");
    String absolute = resources.resolve("platform-secret.txt").toString();
    for (String source : new String[] {absolute, "file://" + absolute, "classpath:logback.xml"}) {
      assertThatThrownBy(() -> team.deploy(catting("abs", source)))
          .isInstanceOf(WorkflowValidationException.class)
          .hasMessageContaining("in workspace 'team' a resource is a path relative to");
    }
    assertThat(team.workflow("abs")).isEmpty();
    // the host's own default workspace keeps every form
    PlatformClient host = platform.client();
    host.deploy(catting("abs", absolute));
    long run = host.trigger("abs");
    assertThat(host.awaitRun(run, Duration.ofSeconds(60)).state()).isEqualTo(RunState.SUCCESS);
  }
}
