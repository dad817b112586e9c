package io.flinkplatform.engine.storage;

import static io.flinkplatform.engine.storage.BlobStoreContractTest.bytes;
import static io.flinkplatform.engine.storage.BlobStoreContractTest.read;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

/**
 * The checks of {@link BlobStoreContractTest}, callable on any store (tests elsewhere run them on
 * an HDFS store).
 */
public final class BlobStoreContract {
  private BlobStoreContract() {}

  /** Runs the contract on an empty {@code store}. */
  public static void check(BlobStore store) throws IOException {
    assertThat(store.open("a/b")).isEmpty();
    assertThat(store.size("a/b")).isEmpty();
    assertThat(store.list("a")).isEmpty();
    assertThat(store.delete("a/b")).isFalse();
    assertThat(store.deleteAll("a")).isZero();

    store.put("a/b", bytes("first"));
    store.put("a/c/d.log", bytes("héllo\n"));
    store.put("e", bytes(""));
    assertThat(read(store, "a/b")).isEqualTo("first");
    assertThat(store.size("a/c/d.log")).contains(7L);
    assertThat(store.size("e")).contains(0L);
    assertThat(store.size("a")).as("a directory is no blob").isEmpty();
    assertThat(store.list("a")).containsExactlyInAnyOrder("a/b", "a/c/d.log");
    assertThat(store.list("a/c")).containsExactly("a/c/d.log");
    assertThat(store.list("none")).isEmpty();

    store.put("a/b", bytes("second, longer"));
    assertThat(read(store, "a/b")).isEqualTo("second, longer");
    assertThat(store.list("a")).as("no temporary blob left").hasSize(2);

    assertThat(store.delete("a/b")).isTrue();
    assertThat(store.delete("a/b")).isFalse();
    assertThat(store.open("a/b")).isEmpty();
    store.put("a/x/1", bytes("1"));
    store.put("a/x/2", bytes("2"));
    assertThat(store.deleteAll("a")).isEqualTo(3);
    assertThat(store.list("a")).isEmpty();
    assertThat(read(store, "e")).isEmpty();
    assertThat(store.describe()).isNotBlank();
  }
}
