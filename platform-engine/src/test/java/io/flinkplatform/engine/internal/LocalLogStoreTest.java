package io.flinkplatform.engine.internal;

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
    LocalLogStore.Sink sink = logs.open(7, "../../escaped", 1, p -> {});

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
    LocalLogStore.Sink sink = logs.open(3, "t", 2, announced::add);
    assertThat(announced).isEmpty();

    sink.line("one");
    sink.line("two");
    sink.close();

    assertThat(announced).containsExactly(tmp.resolve("3").resolve("t.2.log").toUri().toString());
    assertThat(logs.read(announced.get(0), LogRange.from(0, 100)).text()).isEqualTo("one\ntwo\n");
  }
}
