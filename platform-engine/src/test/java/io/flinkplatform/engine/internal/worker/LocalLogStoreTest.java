package io.flinkplatform.engine.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.PlatformException;
import io.flinkplatform.engine.run.LogRange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalLogStoreTest {
  @TempDir Path tmp;

  @Test
  void openRefusesAPathOutsideTheRoot() {
    LocalLogStore logs = new LocalLogStore(tmp.resolve("root"));
    // a task id edited in the database past validation
    LogSink sink = logs.open(7, "../../escaped", 1, p -> {});

    assertThatThrownBy(() -> sink.line("x"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("outside the log store");
    assertThat(sink.pointer()).isNull();
    assertThat(tmp.resolve("escaped.1.log")).doesNotExist();
    assertThat(tmp.resolve("root")).doesNotExist();
  }

  @Test
  void readRefusesAPointerOutsideTheRoot() throws Exception {
    LocalLogStore logs = new LocalLogStore(tmp.resolve("root"));
    Path outside = Files.writeString(tmp.resolve("secret.txt"), "secret");

    assertThatThrownBy(() -> logs.read(outside.toUri().toString(), LogRange.tail(100)))
        .isInstanceOf(PlatformException.class)
        .hasMessageContaining("outside the log store");
  }

  @Test
  void thePointerIsAnnouncedOnceWhenTheFileIsCreated() {
    LocalLogStore logs = new LocalLogStore(tmp);
    List<String> announced = new ArrayList<>();
    LogSink sink = logs.open(3, "t", 2, announced::add);
    assertThat(announced).isEmpty();

    sink.line("one");
    sink.line("two");
    sink.close();

    assertThat(announced).containsExactly(tmp.resolve("3").resolve("t.2.log").toUri().toString());
    assertThat(logs.read(announced.get(0), LogRange.from(0, 100)).text()).isEqualTo("one\ntwo\n");
  }

  @Test
  void aNewDirectoryIsMarkedAndAnotherInstallationsMarkIsRefused() throws Exception {
    String id = "3f0c9a57-1d2e-4b8a-9c61-7e0f1a2b3c4d";
    Path dir = tmp.resolve("logs");
    LocalLogStore mine = LocalLogStore.of(dir, id);
    assertThat(mine.root()).isEqualTo(dir.toAbsolutePath());
    assertThat(mine.claim()).isNull();
    String mark = Files.readString(dir.resolve(LocalLogStore.MARKER)).strip();
    assertThat(mark).isEqualTo(LocalLogStore.digest(id)).doesNotContain(id);
    // instances of the same installation share it
    assertThat(LocalLogStore.of(dir, id).claim()).isNull();
    assertThat(mine.owned()).isTrue();

    LocalLogStore other = LocalLogStore.of(dir, "another-installation");
    assertThatThrownBy(other::claim)
        .isInstanceOf(io.flinkplatform.engine.LogDirectoryInUseException.class)
        .hasMessageContaining(dir.toAbsolutePath().toString())
        .hasMessageContaining("another installation")
        .hasMessageNotContaining(id)
        .hasMessageNotContaining("another-installation");
    assertThat(other.owned()).isFalse();
    assertThat(Files.readString(dir.resolve(LocalLogStore.MARKER)).strip()).isEqualTo(mark);
  }

  @Test
  void aDirectoryWithFilesButNoMarkIsUsedUnmarked() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("old"));
    Files.createDirectories(dir.resolve("1"));
    Files.writeString(dir.resolve("1").resolve("a.1.log"), "old\n");
    LocalLogStore logs = LocalLogStore.of(dir, "id");

    assertThat(logs.claim()).contains(dir.toString()).contains(LocalLogStore.digest("id"));
    assertThat(logs.owned()).isFalse();
    assertThat(dir.resolve(LocalLogStore.MARKER)).doesNotExist();
  }

  @Test
  void theDefaultDirectoryIsNamedByADigestOfTheInstallation() {
    Path a = LocalLogStore.of(io.flinkplatform.engine.Platform.DEFAULT_LOG_DIRECTORY, "a").root();
    Path b = LocalLogStore.of(io.flinkplatform.engine.Platform.DEFAULT_LOG_DIRECTORY, "b").root();
    assertThat(a.getParent())
        .isEqualTo(io.flinkplatform.engine.Platform.DEFAULT_LOG_DIRECTORY.toAbsolutePath());
    assertThat(a.getFileName().toString()).isEqualTo(LocalLogStore.digest("a"));
    assertThat(a).isNotEqualTo(b);
  }
}
