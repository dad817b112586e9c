package io.flinkplatform.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.PlatformClient;
import io.flinkplatform.engine.dag.Workflow;
import io.flinkplatform.engine.dag.WorkflowJson;
import io.flinkplatform.engine.run.DeployedWorkflow;
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
 * The examples of README.md and docs/ work: every JSON workflow or task deploys through {@link
 * WorkflowJson} on a real platform with the shell, sql and logic plugins, and every Java example
 * compiles against the public API. The Flink document's examples need Flink on the class path and
 * are checked by the Flink plugin's own tests. A block marked {@code <!-- not-runnable: reason -->}
 * is left out.
 */
class DocExamplesTest {
  private static final String FLINK_DOCUMENT = "docs/tasks/flink.md";
  private static TestPlatforms platforms;
  private static PlatformClient client;

  @BeforeAll
  static void start() throws java.sql.SQLException {
    platforms = new TestPlatforms();
    client = platforms.start("docs", b -> b.discoverPlugins(true)).client();
    // the datasource the sql examples name: deploys check that it exists in their workspace
    try (var c = platforms.dataSource().getConnection();
        var s = c.createStatement()) {
      s.executeUpdate(
          "INSERT INTO t_datasource (name, type, url, properties, version, created_at,"
              + " updated_at) VALUES ('warehouse', 'MYSQL', 'jdbc:mysql://db:3306/dw', '', 1, 0,"
              + " 0)");
    }
  }

  @AfterAll
  static void stop() {
    platforms.close();
  }

  private static List<Block> blocks(String language) {
    return DocBlocks.all(language).stream()
        .filter(b -> !b.where().startsWith(FLINK_DOCUMENT + ":"))
        .filter(b -> b.notRunnable().isEmpty())
        .toList();
  }

  @Test
  void everyJsonExampleDeploys() {
    List<Block> json = blocks("json");
    assertThat(json).as("JSON examples outside the Flink document").hasSizeGreaterThanOrEqualTo(2);
    for (Block block : json) {
      Workflow workflow = WorkflowJson.read(DocBlocks.workflowJson(block));
      DeployedWorkflow deployed = client.deploy(workflow);
      assertThat(deployed.version()).as(block.where()).isPositive();
      assertThat(client.workflow(workflow.name())).as(block.where()).isPresent();
    }
  }

  @Test
  void everyJavaExampleCompiles(@TempDir Path classes) {
    List<Block> java = blocks("java");
    assertThat(java).as("Java examples outside the Flink document").hasSizeGreaterThanOrEqualTo(10);
    List<String> errors =
        JavaSnippets.compile(
            java,
            List.of(
                "io.flinkplatform.tasks.sql",
                "io.flinkplatform.tasks.shell",
                "io.flinkplatform.tasks.logic"),
            classes);
    assertThat(errors).as("compile errors in the documentation's Java examples").isEmpty();
  }

  @Test
  void fewBlocksAreMarkedNotRunnable() {
    List<Block> marked =
        DocBlocks.documents().stream()
            .flatMap(d -> DocBlocks.blocks(d).stream())
            .filter(b -> b.notRunnable().isPresent())
            .toList();
    assertThat(marked).as("blocks marked not-runnable").hasSizeLessThanOrEqualTo(3);
  }
}
