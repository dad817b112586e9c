package io.flinkplatform.engine.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.run.LogChunk;
import io.flinkplatform.engine.run.LogRange;
import io.flinkplatform.engine.storage.BlobStore;
import io.flinkplatform.engine.storage.BlobStores;
import io.flinkplatform.engine.testing.Await;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shipped logs: their key layout, how parts are laid end to end, and how they are shipped. */
class SharedLogsTest {
  private static final String INSTALLATION = "installation-0123";
  @TempDir Path dir;

  private static void put(BlobStore store, String key, String text) throws Exception {
    store.put(key, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void taskIdsBecomeKeySegmentsOneToOne() {
    List<String> ids =
        List.of("load", "lo ad", "lo=ad", "lo=20ad", ".x", "_.x", " x", "_=20x", "x".repeat(400));
    Set<String> segments = ids.stream().map(SharedLogKeys::segment).collect(Collectors.toSet());
    assertThat(segments).hasSize(ids.size());
    for (String id : ids) {
      // each must make a valid key, also the one of 400 characters
      String key = SharedLogKeys.attempt(INSTALLATION, 7, id, 12);
      assertThat(io.flinkplatform.engine.storage.BlobKeys.check(key)).isEqualTo(key);
    }
    assertThat(SharedLogKeys.attempt(INSTALLATION, 7, "load", 2))
        .isEqualTo("logs/installation-0123/7/2.load");
  }

  @Test
  void partsOfEachClaimAreLaidEndToEndInEpochOrderSkippingOverlapsAndStoppingAtGaps()
      throws Exception {
    BlobStore store = BlobStores.local(dir);
    SharedLogs logs = new SharedLogs(store, INSTALLATION);
    String p = logs.attemptPrefix(5, "t", 1);
    put(store, SharedLogKeys.part(p, 3, 0, 4), "abc\n");
    put(store, SharedLogKeys.part(p, 3, 4, 8), "def\n");
    put(store, SharedLogKeys.part(p, 3, 2, 8), "c\ndef\n"); // shipped twice: an overlap
    put(store, SharedLogKeys.part(p, 3, 12, 16), "xyz\n"); // after a gap: not (yet) readable
    put(store, SharedLogKeys.part(p, 9, 0, 5), "ghij\n"); // a later claim of the attempt
    put(store, p + "/not-a-part", "ignored");

    LogChunk all = logs.read(5, "t", 1, LogRange.from(0, 1024));
    assertThat(all.text()).isEqualTo("abc\ndef\nghij\n");
    assertThat(all.size()).isEqualTo(13);
    assertThat(logs.read(5, "t", 1, LogRange.from(6, 4)).text()).isEqualTo("f\ngh");
    assertThat(logs.read(5, "t", 1, LogRange.tail(4)).text()).isEqualTo("hij\n");
    assertThat(logs.read(5, "other", 1, LogRange.tail(4))).isEqualTo(new LogChunk("", 0, 0, 0));

    put(store, SharedLogKeys.part(logs.attemptPrefix(6, "t", 1), 1, 0, 1), "x");
    assertThat(logs.runs()).containsExactly(5L, 6L);
    assertThat(logs.deleteRuns(List.of(5L))).isEqualTo(6);
    assertThat(logs.runs()).containsExactly(6L);
  }

  @Test
  void aClaimsLinesAreShippedWhileItRunsAndTheRestWhenItsLogCloses() throws Exception {
    BlobStore store = BlobStores.local(dir.resolve("shared"));
    LocalLogStore local =
        LocalLogStore.of(dir.resolve("local"), "id").sharing(store, Duration.ofMillis(50), "test");
    try {
      SharedLogs shared = local.shared().orElseThrow();
      List<String> pointers = new ArrayList<>();
      // an earlier claim of the attempt wrote here before: its bytes are not this claim's
      Path file = dir.resolve("local/4/t.1.log");
      Files.createDirectories(file.getParent());
      Files.writeString(file, "earlier claim\n");
      LogSink sink = local.open(4, "t", 1, 2, pointers::add);
      IntStream.rangeClosed(1, 3).forEach(i -> sink.line("line " + i));
      Await.until(
          () ->
              shared
                  .read(4, "t", 1, LogRange.tail(1024))
                  .text()
                  .equals("line 1\nline 2\nline 3\n"));
      sink.line("line 4");
      sink.close();
      Await.until(() -> shared.read(4, "t", 1, LogRange.tail(1024)).text().endsWith("line 4\n"));
      assertThat(shared.read(4, "t", 1, LogRange.tail(1024)).text())
          .isEqualTo("line 1\nline 2\nline 3\nline 4\n");
      assertThat(store.list("logs"))
          .allSatisfy(
              k ->
                  assertThat(SharedLogKeys.parse(k))
                      .hasValueSatisfying(part -> assertThat(part.epoch()).isEqualTo(2)));

      // the file is here: read from it (the earlier claim's line too); once gone, from the store
      assertThat(local.read(pointers.get(0), 4, "t", 1, LogRange.tail(1024)).text())
          .startsWith("earlier claim\n");
      Files.delete(file);
      assertThat(local.read(pointers.get(0), 4, "t", 1, LogRange.tail(1024)).text())
          .isEqualTo("line 1\nline 2\nline 3\nline 4\n");
      assertThat(local.read(null, 4, "t", 1, LogRange.tail(1024)).text()).startsWith("line 1");
    } finally {
      local.stopShipping();
    }
  }

  @Test
  void stoppingShipsWhatIsLeft() throws Exception {
    BlobStore store = BlobStores.local(dir.resolve("shared"));
    // an interval that never comes within the test: only stop ships
    LocalLogStore local =
        LocalLogStore.of(dir.resolve("local"), "id").sharing(store, Duration.ofHours(1), "test");
    LogSink sink = local.open(8, "t", 1, 1, p -> {});
    sink.line("only line");
    local.stopShipping();
    local.stopShipping(); // idempotent
    assertThat(local.shared().orElseThrow().read(8, "t", 1, LogRange.tail(100)).text())
        .isEqualTo("only line\n");
    sink.close();
  }
}
