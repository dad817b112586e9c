package io.flinkplatform.engine.internal.progress;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.flinkplatform.engine.SchemaMode;
import io.flinkplatform.engine.internal.store.AttemptRow;
import io.flinkplatform.engine.internal.store.Schema;
import io.flinkplatform.engine.internal.store.Store;
import io.flinkplatform.engine.internal.store.StoreRows;
import io.flinkplatform.engine.run.TaskState;
import io.flinkplatform.engine.testing.PreparedSql;
import io.flinkplatform.engine.testing.TestDatabase;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A completion batch's attempt ends on a real database: attempts that end alike (one state and
 * epoch, no texts) in groups of {@link OutcomeWriter#ALIKE} or more are named by id alone, every
 * other end carries its own values; each attempt ends exactly as its outcome says, and only on its
 * epoch. The statements are told apart by their text, seen through the data source.
 */
class AttemptEndsTest {
  private HikariDataSource pool;
  private Store store;
  private final List<String> statements = Collections.synchronizedList(new ArrayList<>());
  private long flowId;
  private long runId;

  @BeforeEach
  void database() {
    pool = TestDatabase.get().newDatabase();
    Schema.apply(pool, SchemaMode.MIGRATE);
    store =
        new Store(
            PreparedSql.observed(
                pool,
                sql -> {
                  String text = sql.replaceAll("\\s+", " ").trim();
                  if (text.startsWith("UPDATE")) {
                    statements.add(text);
                  }
                }));
    flowId = StoreRows.flow(store);
    runId = StoreRows.runs(store, flowId, 1).get(0);
  }

  @AfterEach
  void close() {
    pool.close();
  }

  @Test
  void aLargeGroupEndingAlikeTakesOneStatementAndEveryOtherEndItsOwnValues() {
    List<AttemptRow> claimed = claimed(30);
    // the last two are claimed again: epoch 2, a group too small for a statement of its own
    List<Long> again = List.of(claimed.get(28).id, claimed.get(29).id);
    store.run(
        "claim two again",
        m -> {
          again.forEach(id -> m.handBack(id, 1, 2));
          m.markClaimed(again, "a", 60_000, 3);
        });
    List<AttemptRow> writes = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      AttemptRow w = end(claimed.get(i), TaskState.SUCCESS);
      if (i >= 28) {
        w.epoch = 2;
      } else if (i >= 20 && i < 23) {
        w.outputs = "{\"n\":" + i + "}"; // ends with values of their own
        w.logPath = "file:///logs/" + i;
      } else if (i == 23) {
        w.state = TaskState.FAILED;
        w.message = "failed " + i;
      }
      writes.add(w);
    }
    // one that lost its claim (stale epoch): not ended by either statement
    AttemptRow stale = end(claimed.get(27), TaskState.SUCCESS);
    writes.set(27, stale);
    stale.epoch = 0;
    // one handed back meanwhile (READY on the same epoch), inside the large group: not ended
    store.tx("hand one back", m -> m.handBack(claimed.get(26).id, 1, 4));
    statements.clear();

    store.run("end", m -> OutcomeWriter.end(m, writes, 9));

    assertThat(count("UPDATE t_job_run FORCE INDEX (PRIMARY) SET state")).isEqualTo(1);
    assertThat(count("t_job_run j ON j.id = v.id AND j.epoch = v.epoch")).isEqualTo(1);
    List<AttemptRow> after = store.tx("read", m -> m.selectAttempts(ids(claimed)));
    after.sort((x, y) -> Long.compare(x.id, y.id));
    for (int i = 0; i < 30; i++) {
      AttemptRow a = after.get(i);
      if (i == 26 || i == 27) {
        assertThat(a.state).isEqualTo(i == 26 ? TaskState.READY : TaskState.RUNNING);
        assertThat(a.endedAt).isNull();
        continue;
      }
      AttemptRow w = writes.get(i);
      assertThat(a.state).as("attempt %d", i).isEqualTo(w.state);
      assertThat(a.endedAt).isEqualTo(9L);
      assertThat(a.leaseUntil).isNull();
      assertThat(a.outputs).isEqualTo(w.outputs);
      assertThat(a.logPath).isEqualTo(w.logPath);
      assertThat(a.message).isEqualTo(w.message);
    }
  }

  @Test
  void aBatchThatEndsAlikeTakesOneStatementHoweverSmall() {
    List<AttemptRow> claimed = claimed(3);
    List<AttemptRow> writes = claimed.stream().map(a -> end(a, TaskState.SUCCESS)).toList();
    statements.clear();

    store.run("end", m -> OutcomeWriter.end(m, writes, 9));

    assertThat(statements).hasSize(1);
    assertThat(count("UPDATE t_job_run FORCE INDEX (PRIMARY) SET state")).isEqualTo(1);
    List<AttemptRow> after = store.tx("read", m -> m.selectAttempts(ids(claimed)));
    assertThat(after).extracting(a -> a.state).containsOnly(TaskState.SUCCESS);
  }

  @Test
  void largeGroupsGoInStatementsOfAtMostAChunkEach() {
    List<AttemptRow> claimed = claimed(Progress.CHUNK + 30);
    List<AttemptRow> writes = new ArrayList<>();
    for (int i = 0; i < claimed.size(); i++) {
      // the last 10 failed: a second group
      writes.add(
          end(claimed.get(i), i < Progress.CHUNK + 20 ? TaskState.SUCCESS : TaskState.FAILED));
    }
    statements.clear();

    store.run("end", m -> OutcomeWriter.end(m, writes, 9));

    // SUCCESS: a chunk and 20; FAILED: 10
    assertThat(count("UPDATE t_job_run FORCE INDEX (PRIMARY) SET state")).isEqualTo(3);
    assertThat(count("t_job_run j ON j.id = v.id AND j.epoch = v.epoch")).isZero();
    List<AttemptRow> after = store.tx("read", m -> m.selectAttempts(ids(claimed)));
    assertThat(after).extracting(a -> a.state).filteredOn(TaskState.FAILED::equals).hasSize(10);
    assertThat(after).extracting(a -> a.endedAt).containsOnly(9L);
  }

  @Test
  void smallGroupsOfManyEpochsGoInOneStatementWithTheirValues() {
    List<AttemptRow> claimed = claimed(OutcomeWriter.ALIKE);
    List<Long> ids = ids(claimed);
    // every attempt on an epoch of its own: 1 to ALIKE
    store.run(
        "claim again",
        m -> {
          for (int i = 1; i < ids.size(); i++) {
            for (int k = 0; k < i; k++) {
              m.handBack(ids.get(i), 1 + k, 2);
              m.markClaimed(List.of(ids.get(i)), "a", 60_000, 3);
            }
          }
        });
    List<AttemptRow> now = store.tx("read", m -> m.selectAttempts(ids));
    assertThat(now).extracting(a -> a.epoch).doesNotHaveDuplicates();
    List<AttemptRow> writes = now.stream().map(a -> end(a, TaskState.SUCCESS)).toList();
    statements.clear();

    store.run("end", m -> OutcomeWriter.end(m, writes, 9));

    assertThat(count("UPDATE t_job_run FORCE INDEX (PRIMARY) SET state")).isZero();
    assertThat(count("t_job_run j ON j.id = v.id AND j.epoch = v.epoch")).isEqualTo(1);
    List<AttemptRow> after = store.tx("read", m -> m.selectAttempts(ids));
    assertThat(after).extracting(a -> a.state).containsOnly(TaskState.SUCCESS);
  }

  /** {@code n} attempts of the run, claimed (epoch 1). */
  private List<AttemptRow> claimed(int n) {
    List<AttemptRow> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(StoreRows.attempt(runId, flowId, "t" + i, 0, 0, TaskState.READY, 0));
    }
    List<Long> ids = StoreRows.insert(store, runId, rows).stream().sorted().toList();
    store.run("claim", m -> m.markClaimed(ids, "a", 60_000, 1));
    List<AttemptRow> claimed = new ArrayList<>(store.tx("read", m -> m.selectAttempts(ids)));
    claimed.sort((x, y) -> Long.compare(x.id, y.id));
    return claimed;
  }

  private static AttemptRow end(AttemptRow a, TaskState state) {
    AttemptRow w = new AttemptRow();
    w.id = a.id;
    w.epoch = a.epoch;
    w.state = state;
    return w;
  }

  private static List<Long> ids(List<AttemptRow> rows) {
    return rows.stream().map(r -> r.id).toList();
  }

  private long count(String part) {
    return statements.stream().filter(s -> s.contains(part)).count();
  }
}
