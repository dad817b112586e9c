package io.flinkplatform.tasks.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.dag.WorkflowJson;
import io.flinkplatform.engine.testing.DocBlocks;
import io.flinkplatform.engine.testing.DocBlocks.Block;
import io.flinkplatform.engine.testing.JavaSnippets;
import io.flinkplatform.engine.testing.TestPlatforms;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples of docs/tasks/flink.md work (the other documents' are checked by the examples
 * module, which has no Flink): its JSON tasks deploy through {@link WorkflowJson} on a real
 * platform with this plugin, and its Java examples compile with Flink on the class path.
 */
class FlinkDocExamplesTest {
  private static final Path DOCUMENT = DocBlocks.projectRoot().resolve("docs/tasks/flink.md");
  private static TestPlatforms platforms;
  private static PlatformClient client;

  @BeforeAll
  static void start() {
    platforms = new TestPlatforms();
    client = platforms.start("flink-docs", b -> b.plugin(new FlinkTaskPlugin())).client();
  }

  @AfterAll
  static void stop() {
    platforms.close();
  }

  private static List<Block> blocks(String language) {
    return DocBlocks.blocks(DOCUMENT).stream()
        .filter(b -> b.language().equals(language) && b.notRunnable().isEmpty())
        .toList();
  }

  @Test
  void everyJsonExampleDeploys() {
    List<Block> json = blocks("json");
    assertThat(json).isNotEmpty();
    for (Block block : json) {
      Workflow workflow = WorkflowJson.read(DocBlocks.workflowJson(block));
      assertThat(client.deploy(workflow).version()).as(block.where()).isPositive();
    }
  }

  @Test
  void everyJavaExampleCompiles(@TempDir Path classes) {
    List<Block> java = blocks("java");
    assertThat(java).hasSizeGreaterThanOrEqualTo(3);
    List<String> errors =
        JavaSnippets.compile(
            java,
            List.of(
                "io.flinkplatform.tasks.flink",
                "org.apache.flink.configuration",
                "org.apache.flink.runtime.minicluster"),
            classes);
    assertThat(errors).as("compile errors in the Flink document's Java examples").isEmpty();
  }
}
