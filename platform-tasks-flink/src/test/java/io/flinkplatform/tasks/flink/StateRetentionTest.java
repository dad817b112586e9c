package io.flinkplatform.tasks.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.testing.TestPlatforms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention deletes old savepoints and checkpoints only under the configured savepoint and
 * checkpoint directories; a recorded path anywhere else loses its record and keeps its files.
 */
class StateRetentionTest {
  @TempDir Path tmp;
  TestPlatforms platforms;
  FlinkTaskPlugin plugin;

  @BeforeEach
  void start() {
    platforms = new TestPlatforms();
    plugin = new FlinkTaskPlugin();
    platforms.start(
        "a",
        b ->
            b.plugin(plugin)
                .pluginSetting("flink.savepoint-retention", "1")
                .pluginSetting(
                    "flink.conf.execution.checkpointing.savepoint-dir",
                    tmp.resolve("sp").toUri().toString())
                // the deprecated key of the checkpoint directory counts as well
                .pluginSetting("flink.conf.state.checkpoints.dir", tmp.resolve("cp").toString()));
  }

  @AfterEach
  void stop() {
    platforms.close();
  }

  static FlinkJobInfo job() {
    return new FlinkJobInfo(
        1,
        0,
        "00000000000000000000000000000001",
        "wf",
        "t",
        "session",
        "http://127.0.0.1:1",
        "RUNNING",
        0,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Instant.now(),
        Optional.empty());
  }

  Path state(String relative) throws Exception {
    Path p = Files.createDirectories(tmp.resolve(relative));
    Files.writeString(p.resolve("_metadata"), "state");
    return p;
  }

  @Test
  void onlyPathsUnderTheStateDirectoriesAreDeleted() throws Exception {
    FlinkRuntime rt = plugin.runtime();
    Path root = Files.createDirectories(tmp.resolve("sp"));
    Path outside = state("precious/data");
    Path escape = state("sp/../precious/other");
    Path savepoint = state("sp/savepoint-1");
    Path checkpoint = state("cp/job/chk-7");

    // each record pushes the one before it out of the retention of 1
    rt.savepoints.record(job(), SavepointRecord.Kind.CHECKPOINT, outside.toUri().toString());
    rt.savepoints.record(
        job(), SavepointRecord.Kind.CHECKPOINT, "file://" + tmp + "/sp/../precious/other");
    rt.savepoints.record(job(), SavepointRecord.Kind.SAVEPOINT, root.toUri().toString());
    rt.savepoints.record(job(), SavepointRecord.Kind.SAVEPOINT, savepoint.toUri().toString());
    rt.savepoints.record(job(), SavepointRecord.Kind.CHECKPOINT, checkpoint.toString());
    rt.savepoints.record(
        job(), SavepointRecord.Kind.SAVEPOINT, state("sp/savepoint-2").toUri().toString());

    assertThat(outside.resolve("_metadata")).as("reported outside the roots").exists();
    assertThat(escape.resolve("_metadata")).as("escaping a root with ..").exists();
    assertThat(root).as("a root itself").exists();
    assertThat(savepoint).as("under the savepoint directory").doesNotExist();
    assertThat(checkpoint).as("under the checkpoint directory").doesNotExist();
    List<SavepointRecord> live = plugin.jobs().savepoints("wf", "t");
    assertThat(live)
        .singleElement()
        .satisfies(r -> assertThat(r.path()).contains("/sp/savepoint-2"));
  }
}
