package io.flinkplatform.engine.run;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * One page of runs from {@code PlatformClient.runs(RunQuery)}.
 *
 * @param runs the runs, newest (highest id) first
 * @param nextBeforeId the cursor of the next page ({@link RunQuery#before(long)}); empty when this
 *     page is the last
 */
public record RunPage(List<WorkflowRun> runs, Optional<Long> nextBeforeId) {
  public RunPage {
    runs = List.copyOf(runs);
    requireNonNull(nextBeforeId, "nextBeforeId is null");
  }
}
