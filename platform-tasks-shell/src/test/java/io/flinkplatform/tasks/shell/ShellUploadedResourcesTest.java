package io.flinkplatform.tasks.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.ResourceInUseException;
import io.flinkplatform.engine.WorkflowValidationException;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.run.RunState;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.spi.Actor;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Shell tasks stage uploaded resources ({@code resource:name}, {@code resource:name@version}) like
 * any other source, also outside the default workspace, where host paths are refused.
 */
class ShellUploadedResourcesTest {
  private static TestPlatforms platforms;
  private static Platform platform;

  @BeforeAll
  static void start() {
    platforms = new TestPlatforms();
    platform = platforms.start("shell-res", b -> b.plugin(new ShellTaskPlugin()));
    platform.admin(Actor.SYSTEM).createWorkspace("team", "");
  }

  @AfterAll
  static void stop() {
    platforms.close();
  }

  private static ByteArrayInputStream text(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  private static Workflow catting(String name, Map<String, String> resources, String command) {
    return Workflow.builder(name)
        .task("cat", "shell", t -> t.option("command", command).option("resources", resources))
        .build();
  }

  @Test
  void aTaskStagesTheLatestOrAPinnedVersionOfAnUploadedResource() {
    PlatformClient team = platform.client(Actor.SYSTEM, "team");
    team.putResource("job.sh", text("echo first version"));
    team.putResource("job.sh", text("echo second version"));
    team.deploy(
        catting(
            "run",
            Map.of("latest.sh", "resource:job.sh", "lib/pinned.sh", "resource:job.sh@1"),
            "sh latest.sh && sh lib/pinned.sh"));
    long run = team.trigger("run");
    assertThat(team.awaitRun(run, Duration.ofSeconds(60)).state()).isEqualTo(RunState.SUCCESS);
    String log = team.log(team.attempts(run).get(0));
    assertThat(log).contains("second version").contains("first version");
    assertThat(log).contains("staged latest.sh from resource:job.sh");

    // the resource is in use now
    assertThatThrownBy(() -> team.deleteResource("job.sh"))
        .isInstanceOfSatisfying(
            ResourceInUseException.class,
            e -> assertThat(e.references()).containsExactly("run v1 task cat"));
  }

  @Test
  void aMissingResourceIsRefusedAtDeploy() {
    PlatformClient team = platform.client(Actor.SYSTEM, "team");
    assertThatThrownBy(
            () -> team.deploy(catting("missing", Map.of("x", "resource:nothing.sh"), "true")))
        .isInstanceOf(WorkflowValidationException.class)
        .hasMessageContaining("'resources' entry 'x'")
        .hasMessageContaining("no resource 'nothing.sh'");
    assertThatThrownBy(() -> team.deploy(catting("malformed", Map.of("x", "resource:a b"), "true")))
        .isInstanceOf(WorkflowValidationException.class)
        .hasMessageContaining("resource:name[@version]");
  }
}
