package io.flinkplatform.tasks.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.spi.TaskOption;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The savepoint and checkpoint directories go by Flink 1.20's names
 * (execution.checkpointing.savepoint-dir, execution.checkpointing.dir); the plugin still reads
 * their deprecated state.* names, and tasks may set neither.
 */
class SavepointDirKeysTest {
  @Test
  void theSavepointDirOptionNamesFlink120sKey() {
    for (java.util.List<TaskOption> options :
        java.util.List.of(FlinkOptions.sql(), FlinkOptions.jar())) {
      TaskOption dir =
          options.stream()
              .filter(o -> o.name().equals(FlinkOptions.SAVEPOINT_DIR))
              .findFirst()
              .orElseThrow();
      assertThat(dir.description())
          .contains("execution.checkpointing.savepoint-dir")
          .doesNotContain("state.savepoints.dir");
    }
  }

  @Test
  void stateRootsReadTheNewNamesAndTheDeprecatedOnesTheNewWinning() {
    FlinkSettings old =
        new FlinkSettings(
            Map.of(
                "flink.conf.state.savepoints.dir", "file:///old/sp",
                "flink.conf.state.checkpoints.dir", "file:///old/cp"));
    assertThat(old.stateRoots()).containsExactly("file:///old/sp", "file:///old/cp");
    FlinkSettings both =
        new FlinkSettings(
            Map.of(
                "flink.conf.state.savepoints.dir", "file:///old/sp",
                "flink.conf.execution.checkpointing.savepoint-dir", "file:///new/sp",
                "flink.conf.state.checkpoints.dir", "file:///old/cp",
                "flink.conf.execution.checkpointing.dir", "file:///new/cp"));
    assertThat(both.stateRoots()).containsExactly("file:///new/sp", "file:///new/cp");
  }

  @Test
  void tasksMaySetNeitherName() {
    ConfKeys keys = new ConfKeys(Optional.empty());
    for (String k :
        new String[] {
          "execution.checkpointing.savepoint-dir",
          "state.savepoints.dir",
          "execution.checkpointing.dir",
          "state.checkpoints.dir"
        }) {
      assertThat(keys.refusal(k)).as(k).hasValueSatisfying(r -> assertThat(r).contains(k));
    }
  }
}
