package io.flinkplatform.engine.testing.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.testing.ManualClock;
import io.flinkplatform.engine.testing.TestTaskContext;
import io.flinkplatform.spi.OptionType;
import io.flinkplatform.spi.TaskConfig;
import io.flinkplatform.spi.TaskContext;
import io.flinkplatform.spi.TaskOption;
import io.flinkplatform.spi.TaskOutcome;
import io.flinkplatform.spi.TaskType;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin example of docs/testing.md: a plugin author unit-tests a task type of their own with
 * {@link TestTaskContext}, without an engine or a database: its options as the engine types them,
 * its log, its outputs, its reaction to a kill and to its deadline on a {@link ManualClock}.
 */
class ArchiveTaskTypeTest {
  private static final Instant LOGICAL_DATE = Instant.parse("2026-06-01T02:00:00Z");
  private final ArchiveTaskType archive = new ArchiveTaskType();
  @TempDir Path dir;

  private TestTaskContext context(Map<String, ?> options) {
    return TestTaskContext.of(archive, options).logicalDate(LOGICAL_DATE);
  }

  @Test
  void movesTheMatchingFilesIntoTheLogicalDatesFolderAndCountsThem() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.writeString(in.resolve("a.csv"), "1");
    Files.writeString(in.resolve("b.csv"), "2");
    Files.writeString(in.resolve("notes.txt"), "keep me");
    TestTaskContext context =
        TestTaskContext.of(
                archive,
                Map.of("source", in.toString(), "target", dir.resolve("archive").toString()))
            .logicalDate(LOGICAL_DATE);

    TaskOutcome outcome = archive.execute(context);

    assertThat(outcome).isEqualTo(TaskOutcome.success(Map.of("files", "2")));
    assertThat(dir.resolve("archive/2026-06-01/a.csv")).hasContent("1");
    assertThat(dir.resolve("archive/2026-06-01/b.csv")).hasContent("2");
    assertThat(in.resolve("notes.txt")).exists();
    assertThat(context.memoryLog().lines()).containsExactly("archived a.csv", "archived b.csv");
  }

  @Test
  void aMissingSourceFailsWithoutRetries() throws Exception {
    TaskOutcome outcome =
        archive.execute(
            context(Map.of("source", dir.resolve("nope").toString(), "target", dir.toString())));

    assertThat(outcome).isInstanceOf(TaskOutcome.Failure.class);
    assertThat(((TaskOutcome.Failure) outcome).retryable()).isFalse();
  }

  @Test
  void aKilledAttemptStopsBeforeTheNextFile() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.writeString(in.resolve("a.csv"), "1");
    TestTaskContext context =
        TestTaskContext.of(archive, Map.of("source", in.toString(), "target", dir.toString()));
    context.testCancellation().cancel("killed by alice");

    TaskOutcome outcome = archive.execute(context);

    assertThat(outcome).isEqualTo(TaskOutcome.failure("stopped: killed by alice"));
    assertThat(in.resolve("a.csv")).exists();
  }

  @Test
  void anAttemptPastItsDeadlineStopsBeforeTheNextFile() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.writeString(in.resolve("a.csv"), "1");
    ManualClock clock = new ManualClock(LOGICAL_DATE);
    TestTaskContext context =
        TestTaskContext.of(archive, Map.of("source", in.toString(), "target", dir.toString()))
            .clock(clock)
            .deadline(LOGICAL_DATE.plus(Duration.ofMinutes(10)));
    clock.advance(Duration.ofMinutes(10));

    TaskOutcome outcome = archive.execute(context);

    assertThat(outcome).isEqualTo(TaskOutcome.failure("out of time at 2026-06-01T02:10:00Z"));
  }

  @Test
  void optionsAreTypedAndCheckedAsTheEngineWould() {
    assertThatThrownBy(() -> context(Map.of("source", "in", "target", "out", "maxFiles", "many")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("option 'maxFiles':");
    TaskConfig sameFolder = context(Map.of("source", "/data", "target", "/data")).config();
    assertThat(archive.validate(sameFolder))
        .containsExactly("options 'source' and 'target' must name different folders");
  }

  /** The plugin author's task type: moves *.csv files into a folder per logical date. */
  static final class ArchiveTaskType implements TaskType {
    @Override
    public String id() {
      return "archive";
    }

    @Override
    public List<TaskOption> options() {
      return List.of(
          TaskOption.required("source", OptionType.STRING, "the folder to archive from"),
          TaskOption.required("target", OptionType.STRING, "the archive's root folder"),
          TaskOption.optional("maxFiles", OptionType.INT, 1000, "files moved at most"));
    }

    @Override
    public List<String> validate(TaskConfig config) {
      return config.requireString("source").equals(config.requireString("target"))
          ? List.of("options 'source' and 'target' must name different folders")
          : List.of();
    }

    @Override
    public TaskOutcome execute(TaskContext c) throws IOException {
      Path source = Path.of(c.config().requireString("source"));
      if (!Files.isDirectory(source)) {
        return TaskOutcome.fatal("no folder " + source);
      }
      Path target =
          Path.of(c.config().requireString("target"))
              .resolve(c.logicalDate().atOffset(ZoneOffset.UTC).toLocalDate().toString());
      List<Path> files = new ArrayList<>();
      try (DirectoryStream<Path> csv = Files.newDirectoryStream(source, "*.csv")) {
        csv.forEach(files::add);
      }
      files.sort(null);
      int moved = 0;
      for (Path file :
          files.subList(0, Math.min(files.size(), c.config().integer("maxFiles").orElseThrow()))) {
        if (c.cancellation().isCancelled()) {
          return TaskOutcome.failure("stopped: " + c.cancellation().reason());
        }
        Instant now = c.clock().instant();
        if (c.deadline().filter(d -> !now.isBefore(d)).isPresent()) {
          return TaskOutcome.failure("out of time at " + now);
        }
        Files.createDirectories(target);
        Files.move(file, target.resolve(file.getFileName()));
        c.log().line("archived " + file.getFileName());
        moved++;
      }
      return TaskOutcome.success(Map.of("files", Integer.toString(moved)));
    }
  }
}
