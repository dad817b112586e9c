package io.flinkplatform.engine.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The blob store contract on Hadoop's {@code file://} file system (a temporary directory). */
class HadoopBlobStoreTest extends BlobStoreContractTest {
  @Override
  protected BlobStore create(Path dir) {
    return BlobStores.hadoop(dir.toUri(), Map.of());
  }

  @Test
  void describeNeverShowsTheUserPartNorTheQuery() throws Exception {
    URI withSecret =
        new URI("file", "user:s3cr3t", null, -1, dir.toUri().getPath(), "token=s3cr3t", null);
    try (BlobStore s = BlobStores.hadoop(withSecret, Map.of())) {
      assertThat(s.describe()).doesNotContain("s3cr3t").startsWith("file:");
      assertThat(s.toString()).doesNotContain("s3cr3t");
    }
  }

  @Test
  void withoutHadoopOnTheClassPathItSaysWhichArtifactsToAdd() throws Exception {
    // the engine's classes alone, over the JDK: no Hadoop
    URL engine = BlobStores.class.getProtectionDomain().getCodeSource().getLocation();
    try (URLClassLoader bare =
        new URLClassLoader(new URL[] {engine}, ClassLoader.getPlatformClassLoader())) {
      Method hadoop =
          bare.loadClass(BlobStores.class.getName()).getMethod("hadoop", URI.class, Map.class);
      assertThatThrownBy(() -> hadoop.invoke(null, dir.toUri(), Map.of()))
          .isInstanceOf(InvocationTargetException.class)
          .cause()
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("org.apache.hadoop:hadoop-client-api")
          .hasMessageContaining("org.apache.hadoop:hadoop-client-runtime");
    }
  }

  @Test
  void aUriWithoutSchemeIsRefused() {
    assertThatThrownBy(() -> BlobStores.hadoop(URI.create("/tmp/x"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("uri");
  }
}
