package io.flinkplatform.tasks.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.testing.TestDatabase;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * A host without flink-yarn: the plugin starts, the local target works, and a task on a YARN target
 * fails naming flink-yarn. The platform runs in a class loader built from this JVM's class path
 * without the flink-yarn jar (nothing of {@code org.apache.flink.yarn} is visible there).
 */
class WithoutFlinkYarnTest {

  @Test
  void thePluginStartsAndOnlyYarnTargetsFailNamingFlinkYarn() throws Exception {
    List<URL> urls = new ArrayList<>();
    for (String entry : classPath()) {
      if (!new File(entry).getName().startsWith("flink-yarn")) {
        urls.add(new File(entry).toURI().toURL());
      }
    }
    String url = TestDatabase.get().newDatabaseUrl();
    ClassLoader before = Thread.currentThread().getContextClassLoader();
    try (URLClassLoader noYarn =
        new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
      assertThatHidden(noYarn);
      Thread.currentThread().setContextClassLoader(noYarn);
      String report =
          (String)
              noYarn
                  .loadClass(NoYarnScenario.class.getName())
                  .getMethod("run", String.class)
                  .invoke(null, url);
      assertThat(report)
          .contains("local: SUCCESS")
          .contains("yarn: FAILED")
          .contains("target 'yarn-application': the YARN targets need flink-yarn on the class path")
          .contains("org.apache.flink.yarn.YarnClusterDescriptor is missing");
    } finally {
      Thread.currentThread().setContextClassLoader(before);
    }
  }

  private static void assertThatHidden(ClassLoader loader) {
    try {
      loader.loadClass("org.apache.flink.yarn.YarnClusterDescriptor");
      throw new AssertionError("flink-yarn is still visible");
    } catch (ClassNotFoundException expected) {
      // as intended
    }
  }

  /** This JVM's class path, following a manifest-only jar (as Surefire starts tests with). */
  private static List<String> classPath() throws Exception {
    List<String> out = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      out.add(e);
      if (e.endsWith(".jar") && new File(e).isFile()) {
        try (JarFile j = new JarFile(e)) {
          String cp =
              j.getManifest() == null
                  ? null
                  : j.getManifest().getMainAttributes().getValue("Class-Path");
          if (cp != null) {
            for (String ref : cp.trim().split("\\s+")) {
              out.add(Path.of(new File(e).getParentFile().toURI().resolve(ref)).toString());
            }
          }
        }
      }
    }
    return out;
  }
}
