package io.flinkplatform.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TaskOutcomeTest {

  @Test
  void aPlainSuccessChoosesNoBranchAndABranchSuccessKeepsAnImmutableCopy() {
    assertThat(new TaskOutcome.Success(Map.of("k", "v")).branches()).isEmpty();
    assertThat(TaskOutcome.success())
        .isEqualTo(new TaskOutcome.Success(Map.of(), Optional.empty()));
    Set<String> chosen = new HashSet<>(Set.of("a"));
    TaskOutcome.Success s = (TaskOutcome.Success) TaskOutcome.branch(Map.of(), chosen);
    chosen.add("b");
    assertThat(s.branches()).contains(Set.of("a"));
    assertThatThrownBy(() -> s.branches().orElseThrow().add("c"))
        .isInstanceOf(UnsupportedOperationException.class);
    // choosing no branch is a choice: every edge from the task stays unfired
    assertThat(((TaskOutcome.Success) TaskOutcome.branch(Map.of(), Set.of())).branches())
        .contains(Set.of());
    assertThatThrownBy(() -> TaskOutcome.branch(Map.of(), null))
        .hasMessage("downstreamTaskIds is null");
  }

  @Test
  void upstreamEdgesSayWhetherTheTaskRan() {
    assertThat(new UpstreamEdge("a", "SUCCESS", "FAILED", false).ran()).isTrue();
    assertThat(new UpstreamEdge("a", "SUCCESS", "SKIPPED", false).ran()).isFalse();
    assertThat(
            new PlatformAccess.RunInfo(
                    1, "w", 1, "KILLED", java.time.Instant.EPOCH, 0, Optional.empty())
                .ended())
        .isTrue();
    assertThat(
            new PlatformAccess.TaskRunInfo(1, java.time.Instant.EPOCH, "t", 1, "READY", Map.of())
                .ended())
        .isFalse();
  }
}
