package io.flinkplatform.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.testing.TestPlatforms;
import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Micrometer is optional: a platform started from a class loader that has every jar of this test's
 * class path but Micrometer's starts, answers its health and stops, without a registry.
 */
class NoMicrometerTest {
  @Test
  void aPlatformRunsWhereMicrometerIsNotOnTheClassPath() throws Exception {
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.contains("micrometer")) {
        urls.add(Path.of(entry).toUri().toURL());
      }
    }
    try (TestPlatforms platforms = new TestPlatforms();
        URLClassLoader loader =
            new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
      assertThatThrownBy(
              () -> Class.forName("io.micrometer.core.instrument.MeterRegistry", false, loader))
          .isInstanceOf(ClassNotFoundException.class);
      Thread self = Thread.currentThread();
      ClassLoader before = self.getContextClassLoader();
      self.setContextClassLoader(loader);
      Object platform = null;
      try {
        Class<?> type = Class.forName(Platform.class.getName(), true, loader);
        assertThat(type.getClassLoader()).isSameAs(loader);
        Object b = type.getMethod("builder").invoke(null);
        Class<?> builder = b.getClass();
        // the pool is this test's (javax.sql is shared): a driver of the child loader would not be
        // one DriverManager hands to it
        builder.getMethod("dataSource", DataSource.class).invoke(b, platforms.dataSource());
        builder.getMethod("instanceName", String.class).invoke(b, "no-micrometer");
        builder.getMethod("discoverPlugins", boolean.class).invoke(b, false);
        builder
            .getMethod("logDirectory", Path.class)
            .invoke(b, TestPlatforms.logDirectory(platforms.jdbcUrl()));
        platform = builder.getMethod("build").invoke(b);
        type.getMethod("start").invoke(platform);
        Object health = type.getMethod("health").invoke(platform);
        Method status = health.getClass().getMethod("status");
        assertThat(status.invoke(health).toString()).as(health.toString()).isEqualTo("UP");
      } finally {
        if (platform != null) {
          platform.getClass().getMethod("stop").invoke(platform);
        }
        self.setContextClassLoader(before);
      }
    }
  }
}
