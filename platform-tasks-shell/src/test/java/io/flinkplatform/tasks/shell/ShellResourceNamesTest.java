package io.flinkplatform.tasks.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.testing.TestTaskContext;
import io.flinkplatform.spi.TaskOutcome;
import io.flinkplatform.spi.TaskOutcome.Failure;
import io.flinkplatform.spi.TaskOutcome.Success;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Author-chosen resource paths cannot break or forge lines of the task's log and messages. */
class ShellResourceNamesTest {
  @TempDir Path tmp;

  private static TaskOutcome run(TestTaskContext context) {
    ShellTaskType type = new ShellTaskType();
    type.attach(new ShellRuntime(ProcessTracker.NONE, Optional.empty()));
    return type.execute(context);
  }

  @Test
  void stagedLineShowsControlCharactersOfTargetAndSourceAsQuestionMarks() throws Exception {
    Path source = Files.writeString(tmp.resolve("in\nINFO forged source"), "staged text\n");
    TestTaskContext context =
        TestTaskContext.of(
            Map.of(
                "command",
                "cat 'a\nINFO forged target'",
                "resources",
                Map.of("a\nINFO forged target", source.toString())),
            new ShellTaskType().options());

    assertThat(run(context)).isInstanceOf(Success.class);

    assertThat(context.memoryLog().lines())
        .contains("staged text")
        .contains(
            "[shell] staged a?INFO forged target from " + tmp.resolve("in?INFO forged source"))
        .noneMatch(line -> line.contains("\n") || line.startsWith("INFO forged"));
  }

  @Test
  void stagingErrorsShowControlCharactersOfPathsAsQuestionMarks() {
    TestTaskContext context =
        TestTaskContext.of(
            Map.of(
                "command",
                "true",
                "resources",
                Map.of("t\r\nINFO x", tmp.resolve("missing\nERROR forged").toString())),
            new ShellTaskType().options());

    TaskOutcome outcome = run(context);

    assertThat(outcome).isInstanceOf(Failure.class);
    assertThat(((Failure) outcome).message())
        .startsWith("could not start the process: could not stage resource 't??INFO x': ")
        .contains(tmp.resolve("missing?ERROR forged").toString())
        .doesNotContain("\n")
        .doesNotContain("\r");
  }
}
