package io.flinkplatform.engine.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every {@link BlobStore} keeps, run against each store the platform ships: {@link
 * LocalBlobStoreTest} and {@link HadoopBlobStoreTest} ({@code file://} through Hadoop); the HDFS
 * one runs it in {@code SharedTaskLogTest}'s cluster.
 */
public abstract class BlobStoreContractTest {
  @TempDir protected Path dir;
  BlobStore store;

  protected abstract BlobStore create(Path dir) throws Exception;

  @BeforeEach
  void open() throws Exception {
    store = create(dir);
  }

  @AfterEach
  void close() throws Exception {
    store.close();
  }

  static InputStream bytes(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  static String read(BlobStore store, String key) throws IOException {
    Optional<InputStream> in = store.open(key);
    assertThat(in).as(key).isPresent();
    try (InputStream s = in.get()) {
      return new String(s.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void putThenReadSizeListReplaceDelete() throws Exception {
    BlobStoreContract.check(store);
  }

  @Test
  void keysOutsideTheRuleAreRefusedBeforeAnyWrite() {
    for (String bad : new String[] {"", "/abs", "a/../b", "a//b", ".hidden", "a/", "sp ace"}) {
      assertThatThrownBy(() -> store.put(bad, bytes("x")))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("blob key");
    }
  }
}
