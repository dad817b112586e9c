package io.flinkplatform.engine.internal.query;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.internal.access.Caller;
import io.flinkplatform.engine.internal.store.RunRow;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.run.RunPage;
import io.flinkplatform.engine.run.RunQuery;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Pages of a workspace's runs by filters, newest first, with a keyset cursor (the last id of a
 * page): a page costs the same however deep it is, and runs created meanwhile do not shift it.
 */
public final class RunSearch {
  private final Store store;

  public RunSearch(Store store) {
    this.store = store;
  }

  /** One page; one more row than the page is read to tell whether another page follows. */
  public RunPage runs(Caller caller, RunQuery q) {
    requireNonNull(q, "query is null");
    List<RunRow> rows =
        store.tx(
            "search runs",
            m ->
                m.searchRuns(
                    caller.workspace(),
                    q.workflow().orElse(null),
                    q.states().isEmpty() ? null : q.states(),
                    millis(q.logicalFrom()),
                    millis(q.logicalTo()),
                    q.triggeredBy().orElse(null),
                    millis(q.createdFrom()),
                    millis(q.createdTo()),
                    q.beforeId().orElse(null),
                    q.limit() + 1));
    boolean more = rows.size() > q.limit();
    List<RunRow> page = more ? rows.subList(0, q.limit()) : rows;
    return new RunPage(
        page.stream().map(ApiMapping::toRun).toList(),
        more ? Optional.of(page.get(page.size() - 1).id) : Optional.empty());
  }

  private static Long millis(Optional<Instant> t) {
    return t.map(Instant::toEpochMilli).orElse(null);
  }
}
