package io.flinkplatform.engine.internal.progress;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.internal.store.AttemptRow;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A completion batch's attempt ends go to the database in statements bounded by rows and by the
 * text they carry, in the batch's order, each attempt exactly once.
 */
class OutcomeChunksTest {

  @Test
  void smallEndsGoInStatementsOfAtMostAChunkOfAttempts() {
    List<AttemptRow> writes = ends(Progress.CHUNK + 12, 10);

    List<List<AttemptRow>> chunks = OutcomeWriter.chunks(writes);

    assertThat(chunks).extracting(List::size).containsExactly(Progress.CHUNK, 12);
    assertThat(chunks.stream().flatMap(List::stream).toList()).isEqualTo(writes);
  }

  @Test
  void largeOutputsGoInStatementsOfAboutTheTextLimit() {
    // 512 ends of 65,000 characters each: 33 MB in one statement would pass any default packet
    List<AttemptRow> writes = ends(512, 65_000);

    List<List<AttemptRow>> chunks = OutcomeWriter.chunks(writes);

    assertThat(chunks.stream().flatMap(List::stream).toList()).isEqualTo(writes);
    for (List<AttemptRow> chunk : chunks) {
      long text = chunk.stream().mapToLong(w -> w.outputs.length()).sum();
      assertThat(text).isLessThanOrEqualTo(OutcomeWriter.MAX_STATEMENT_TEXT);
    }
    int perStatement = OutcomeWriter.MAX_STATEMENT_TEXT / 65_000; // 32
    assertThat(chunks).hasSize((512 + perStatement - 1) / perStatement);
  }

  @Test
  void anEndLargerThanTheLimitGoesAlone() {
    List<AttemptRow> writes = ends(3, OutcomeWriter.MAX_STATEMENT_TEXT + 1);

    assertThat(OutcomeWriter.chunks(writes)).extracting(List::size).containsExactly(1, 1, 1);
  }

  @Test
  void noEndsNoStatement() {
    assertThat(OutcomeWriter.chunks(List.of())).isEmpty();
  }

  private static List<AttemptRow> ends(int n, int outputChars) {
    List<AttemptRow> out = new ArrayList<>();
    String outputs = "x".repeat(outputChars);
    for (int i = 0; i < n; i++) {
      AttemptRow w = new AttemptRow();
      w.id = (long) i + 1;
      w.outputs = outputs;
      out.add(w);
    }
    return out;
  }
}
