package io.flinkplatform.tasks.flink;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.StatementSet;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.catalog.CatalogDescriptor;
import org.apache.flink.table.resource.ResourceType;
import org.apache.flink.table.resource.ResourceUri;

/**
 * The {@code main} of a {@code flink_sql} task in a YARN application cluster. The plugin checked
 * and planned the script before it deployed the application, and packed what this needs into the
 * driver jar it ships as the application's user jar (resource {@link #SCRIPT}): the statements as
 * Flink's parser split and typed them, the catalogs and functions to register, and the runtime
 * mode. The Flink configuration is the cluster's (the task's layered configuration, with the fixed
 * job id), so the job this submits carries the attempt's job id.
 *
 * <p>Runs in the cluster, where only Flink's runtime is on the class path: it uses Flink's public
 * table API and the JDK, nothing of the platform and nothing of the planner's internals.
 */
public final class SqlApplicationDriver {
  /** The resource in the driver jar that holds the script. */
  static final String SCRIPT = "io/flinkplatform/tasks/flink/sql-application.json";

  /** The statement kinds the driver tells apart (names of {@code SqlSyntax.Kind}). */
  static final String SET = "SET";

  static final String RESET = "RESET";
  static final String ADD_JAR = "ADD_JAR";
  static final String BEGIN_SET = "BEGIN_SET";
  static final String END_SET = "END_SET";

  private SqlApplicationDriver() {}

  public static void main(String[] args) throws Exception {
    JsonNode script = read();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    EnvironmentSettings.Builder settings = EnvironmentSettings.newInstance();
    if (script.path("batch").asBoolean(false)) {
      settings.inBatchMode();
    } else {
      settings.inStreamingMode();
    }
    StreamTableEnvironment tEnv = StreamTableEnvironment.create(env, settings.build());
    Map<String, String> base = new LinkedHashMap<>(env.getConfiguration().toMap());
    register(tEnv, script);
    StatementSet set = null;
    for (JsonNode s : script.path("statements")) {
      String kind = s.path("kind").asText();
      String text = s.path("text").asText();
      try {
        switch (kind) {
          case BEGIN_SET -> set = tEnv.createStatementSet();
          case END_SET -> {
            set.execute();
            set = null;
          }
          case SET ->
              tEnv.getConfig().getConfiguration().setString(key(s), s.path("value").asText());
          case RESET -> reset(tEnv, base, s.hasNonNull("key") ? key(s) : null);
          case ADD_JAR ->
              // the plugin shipped the jar with the application (yarn.ship-files): it is on the
              // class path of the JobManager and the TaskManagers already
              log("ADD JAR " + s.path("jar").asText() + ": shipped with the application");
          default -> {
            if (set != null) {
              set.addInsertSql(text);
            } else {
              tEnv.executeSql(text);
            }
          }
        }
      } catch (RuntimeException e) {
        throw new IllegalStateException(
            "flink_sql statement at line "
                + s.path("line").asInt()
                + ", column "
                + s.path("column").asInt()
                + " failed in the cluster: "
                + e.getMessage(),
            e);
      }
    }
  }

  private static String key(JsonNode s) {
    return s.path("key").asText();
  }

  private static JsonNode read() throws IOException {
    ClassLoader loader = SqlApplicationDriver.class.getClassLoader();
    try (InputStream in = loader.getResourceAsStream(SCRIPT)) {
      if (in == null) {
        throw new IllegalStateException(
            "the driver jar has no " + SCRIPT + "; it is built by the flink_sql task plugin");
      }
      return new ObjectMapper().readTree(in);
    }
  }

  /** Catalogs, then functions, as the plugin registered them while it planned the script. */
  private static void register(StreamTableEnvironment tEnv, JsonNode script) {
    for (JsonNode c : script.path("catalogs")) {
      Configuration options = new Configuration();
      c.path("options")
          .fields()
          .forEachRemaining(e -> options.setString(e.getKey(), e.getValue().asText()));
      options.setString("type", c.path("type").asText());
      if (c.hasNonNull("defaultDatabase")) {
        options.setString("default-database", c.path("defaultDatabase").asText());
      }
      String name = c.path("name").asText();
      tEnv.createCatalog(name, CatalogDescriptor.of(name, options));
    }
    for (JsonNode f : script.path("functions")) {
      List<ResourceUri> jars = new ArrayList<>();
      if (f.hasNonNull("jarUri")) {
        jars.add(new ResourceUri(ResourceType.JAR, f.path("jarUri").asText()));
      }
      tEnv.createTemporarySystemFunction(
          f.path("name").asText(), f.path("className").asText(), jars);
    }
  }

  /** {@code RESET key} returns to the cluster's (the task's layered) value; bare RESET: all. */
  private static void reset(StreamTableEnvironment tEnv, Map<String, String> base, String key) {
    Configuration table = tEnv.getConfig().getConfiguration();
    for (String k : key == null ? List.copyOf(table.keySet()) : List.of(key)) {
      table.removeKey(k);
      if (base.containsKey(k)) {
        table.setString(k, base.get(k));
      }
    }
  }

  private static void log(String line) {
    System.out.println("[flink-platform sql driver] " + line);
  }
}
