package io.flinkplatform.tasks.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.api.common.JobID;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver jar of a {@code flink_sql} task in a YARN application cluster: self-contained (the
 * driver references no other class of the platform, which the cluster does not have), with the
 * statements as the parser typed them, the catalogs and the functions.
 */
class SqlApplicationJarTest {
  @TempDir Path dir;

  @Test
  void theJarHoldsTheDriverAndTheCheckedScriptAndNothingElseOfThePlatform() throws Exception {
    SqlSyntax.Result syntax =
        SqlSyntax.check(
            "SET 'pipeline.name' = 'x';\n"
                + "RESET 'pipeline.name';\n"
                + "CREATE TABLE s (id BIGINT) WITH ('connector' = 'datagen');\n"
                + "CREATE TABLE k (id BIGINT) WITH ('connector' = 'blackhole');\n"
                + "ADD JAR '/tmp/udf.jar';\n"
                + "EXECUTE STATEMENT SET BEGIN INSERT INTO k SELECT id FROM s; END");
    assertThat(syntax.problems()).isEmpty();
    JobID id = new JobID();
    Path jar =
        SqlApplicationJar.write(
            dir,
            id,
            syntax.statements(),
            true,
            List.of(
                new CatalogInfo("mem", "generic_in_memory", Optional.of("db1"), Map.of("k", "v"))),
            List.of(new FunctionInfo("twice", "a.b.Twice", Optional.empty())),
            Map.of(4, "udf.jar"));

    assertThat(jar.getFileName().toString()).isEqualTo("sql-application-" + id + ".jar");
    assertThat(Files.getPosixFilePermissions(jar))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    try (JarFile j = new JarFile(jar.toFile())) {
      assertThat(j.getManifest().getMainAttributes().getValue(Attributes.Name.MAIN_CLASS))
          .isEqualTo(SqlApplicationDriver.class.getName());
      List<String> entries = j.stream().map(JarEntry::getName).toList();
      assertThat(entries)
          .contains(
              "io/flinkplatform/tasks/flink/SqlApplicationDriver.class",
              SqlApplicationDriver.SCRIPT);
      for (String e : entries.stream().filter(n -> n.endsWith(".class")).toList()) {
        String bytes =
            new String(j.getInputStream(j.getEntry(e)).readAllBytes(), StandardCharsets.ISO_8859_1);
        assertThat(platformReferences(bytes))
            .as("platform classes referenced by " + e)
            .isNotEmpty()
            .allMatch(
                r ->
                    r.startsWith("io/flinkplatform/tasks/flink/SqlApplicationDriver")
                        || r.equals("io/flinkplatform/tasks/flink/sql-application.json"));
      }
      JsonNode script =
          new ObjectMapper().readTree(j.getInputStream(j.getEntry(SqlApplicationDriver.SCRIPT)));
      assertThat(script.path("batch").asBoolean()).isTrue();
      JsonNode s = script.path("statements");
      assertThat(s).hasSize(6);
      assertThat(s.get(0).path("kind").asText()).isEqualTo("SET");
      assertThat(s.get(0).path("key").asText()).isEqualTo("pipeline.name");
      assertThat(s.get(0).path("value").asText()).isEqualTo("x");
      assertThat(s.get(1).path("kind").asText()).isEqualTo("RESET");
      assertThat(s.get(1).path("key").asText()).isEqualTo("pipeline.name");
      assertThat(s.get(2).path("line").asInt()).isEqualTo(3);
      assertThat(s.get(4).path("kind").asText()).isEqualTo("ADD_JAR");
      assertThat(s.get(4).path("jar").asText()).isEqualTo("udf.jar");
      assertThat(s.get(5).path("kind").asText()).isEqualTo("JOB");
      assertThat(s.get(5).path("text").asText()).startsWith("EXECUTE STATEMENT SET BEGIN");
      JsonNode c = script.path("catalogs").get(0);
      assertThat(c.path("name").asText()).isEqualTo("mem");
      assertThat(c.path("defaultDatabase").asText()).isEqualTo("db1");
      assertThat(c.path("options").path("k").asText()).isEqualTo("v");
      JsonNode f = script.path("functions").get(0);
      assertThat(f.path("className").asText()).isEqualTo("a.b.Twice");
      assertThat(f.has("jarUri")).isFalse();
    }
    assertThat(Files.list(dir).toList()).as("no partial files left").containsExactly(jar);
  }

  private static List<String> platformReferences(String classFile) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("io/flinkplatform/[A-Za-z0-9_/$.-]*").matcher(classFile);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }
}
