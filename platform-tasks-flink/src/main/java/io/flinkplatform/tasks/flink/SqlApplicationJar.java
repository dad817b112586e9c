package io.flinkplatform.tasks.flink;

import io.flinkplatform.tasks.flink.SqlSyntax.Parsed;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.apache.flink.api.common.JobID;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ArrayNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.sql.parser.ddl.SqlReset;
import org.apache.flink.sql.parser.ddl.SqlSet;

/**
 * The user jar of a {@code flink_sql} task in a YARN application cluster: the classes of {@link
 * SqlApplicationDriver} (its {@code Main-Class}) and the checked script it runs, assembled at
 * submit time so it works whether the plugin itself comes from a jar or a class directory. The
 * script resource holds the catalogs' options, which may be secrets: the file is readable by its
 * owner only, travels in the application's staging directory like any user jar, and is deleted here
 * once the application is deployed.
 */
final class SqlApplicationJar {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SqlApplicationJar() {}

  /**
   * Writes the driver jar of a job into {@code dir}.
   *
   * @param shippedJars the file names (in the containers' working directory) of the {@code ADD JAR}
   *     statements' jars, by statement index
   */
  static Path write(
      Path dir,
      JobID jobId,
      List<Parsed> statements,
      boolean batch,
      List<CatalogInfo> catalogs,
      List<FunctionInfo> functions,
      Map<Integer, String> shippedJars)
      throws IOException {
    byte[] script =
        JSON.writeValueAsBytes(script(statements, batch, catalogs, functions, shippedJars));
    Files.createDirectories(dir);
    Path partial = Files.createTempFile(dir, "sql-application-" + jobId, ".part");
    try {
      ownerOnly(partial);
      Manifest mf = new Manifest();
      mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
      mf.getMainAttributes().put(Attributes.Name.MAIN_CLASS, SqlApplicationDriver.class.getName());
      try (OutputStream out = Files.newOutputStream(partial);
          JarOutputStream jar = new JarOutputStream(out, mf)) {
        for (Class<?> c : driverClasses()) {
          String entry = c.getName().replace('.', '/') + ".class";
          try (InputStream in = c.getClassLoader().getResourceAsStream(entry)) {
            if (in == null) {
              throw new IOException("cannot read the class file of " + c.getName());
            }
            jar.putNextEntry(new JarEntry(entry));
            in.transferTo(jar);
            jar.closeEntry();
          }
        }
        jar.putNextEntry(new JarEntry(SqlApplicationDriver.SCRIPT));
        jar.write(script);
        jar.closeEntry();
      }
      Path target = dir.resolve("sql-application-" + jobId + ".jar");
      return Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(partial);
      throw e;
    }
  }

  /** The driver and its nested classes (it uses lambdas and no anonymous classes). */
  static List<Class<?>> driverClasses() {
    List<Class<?>> out = new java.util.ArrayList<>();
    Deque<Class<?>> todo = new ArrayDeque<>(List.of(SqlApplicationDriver.class));
    while (!todo.isEmpty()) {
      Class<?> c = todo.pop();
      out.add(c);
      todo.addAll(List.of(c.getDeclaredClasses()));
    }
    return out;
  }

  private static void ownerOnly(Path file) {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException | IOException e) {
      // not a POSIX file system: its default permissions stand
    }
  }

  static ObjectNode script(
      List<Parsed> statements,
      boolean batch,
      List<CatalogInfo> catalogs,
      List<FunctionInfo> functions,
      Map<Integer, String> shippedJars) {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", 1);
    root.put("batch", batch);
    ArrayNode ss = root.putArray("statements");
    for (int i = 0; i < statements.size(); i++) {
      Parsed p = statements.get(i);
      ObjectNode s = ss.addObject();
      s.put("kind", p.kind().name());
      s.put("text", p.statement().text());
      s.put("line", p.statement().line());
      s.put("column", p.statement().column());
      if (p.node() instanceof SqlSet set) {
        s.put("key", set.getKeyString());
        s.put("value", set.getValueString());
      } else if (p.node() instanceof SqlReset reset && reset.getKeyString() != null) {
        s.put("key", reset.getKeyString());
      }
      if (shippedJars.containsKey(i)) {
        s.put("jar", shippedJars.get(i));
      }
    }
    ArrayNode cs = root.putArray("catalogs");
    for (CatalogInfo c : catalogs) {
      ObjectNode o = cs.addObject();
      o.put("name", c.name());
      o.put("type", c.type());
      c.defaultDatabase().ifPresent(db -> o.put("defaultDatabase", db));
      ObjectNode options = o.putObject("options");
      new java.util.TreeMap<>(c.options()).forEach(options::put);
    }
    ArrayNode fs = root.putArray("functions");
    for (FunctionInfo f : functions) {
      ObjectNode o = fs.addObject();
      o.put("name", f.name());
      o.put("className", f.className());
      f.jarUri().ifPresent(uri -> o.put("jarUri", uri));
    }
    return root;
  }
}
