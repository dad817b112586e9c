package io.flinkplatform.tasks.flink;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/** Builds a job jar from the compiled test job classes, the way a user's build would. */
final class TestJars {
  private TestJars() {}

  /** A jar of package {@code testjobs} with {@code mainClass} in its manifest. */
  static Path jobJar(Path dir, String mainClass) throws IOException, URISyntaxException {
    Path classes =
        Path.of(TestJars.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path pkg = classes.resolve("io/flinkplatform/tasks/flink/testjobs");
    Manifest mf = new Manifest();
    mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    mf.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
    Path jar = dir.resolve("test-job.jar");
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream j = new JarOutputStream(out, mf);
        Stream<Path> files = Files.walk(pkg)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        j.write(Files.readAllBytes(f));
        j.closeEntry();
      }
    }
    return jar;
  }
}
