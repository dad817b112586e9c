package io.flinkplatform.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.spi.PluginContext;
import io.flinkplatform.spi.TaskPlugin;
import io.flinkplatform.spi.TaskType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginLifecycleTest {

  /** A plugin with its own table, recording what the platform did to it. */
  static final class RecordingPlugin implements TaskPlugin {
    final List<String> calls = new ArrayList<>();
    final boolean failStart;

    RecordingPlugin(boolean failStart) {
      this.failStart = failStart;
    }

    @Override
    public String name() {
      return "recording";
    }

    @Override
    public List<TaskType> taskTypes() {
      return List.of();
    }

    @Override
    public Optional<String> schemaLocation() {
      return Optional.of("io/flinkplatform/engine/pluginschema");
    }

    @Override
    public void start(PluginContext context) {
      calls.add(
          "start " + context.instanceName() + " " + context.setting("recording.key").orElse("-"));
      if (failStart) {
        throw new IllegalStateException("no licence for this plugin");
      }
      try (Connection c = context.database().getConnection();
          Statement s = c.createStatement()) {
        s.executeUpdate("INSERT INTO t_plugin_note (note) VALUES ('started')");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void stop() {
      calls.add("stop");
    }
  }

  @Test
  void pluginGetsItsSchemaSettingsAndLifecycle() throws Exception {
    RecordingPlugin plugin = new RecordingPlugin(false);
    try (TestPlatforms platforms = new TestPlatforms()) {
      Platform p =
          platforms.start("a", b -> b.plugin(plugin).pluginSetting("recording.key", "s3cret"));
      assertThat(p.settings().toString()).contains("recording.key").doesNotContain("s3cret");
      try (Connection c = platforms.dataSource().getConnection();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT note FROM t_plugin_note")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("started");
      }
      try (Connection c = platforms.dataSource().getConnection();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT COUNT(*) FROM flink_platform_schema_history_recording"
                      + " WHERE version = '1' AND success = 1")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(1);
      }
      p.stop();
      assertThat(plugin.calls).containsExactly("start a s3cret", "stop");
    }
  }

  @Test
  void aPluginThatFailsToStartFailsThePlatformStartByName() {
    RecordingPlugin plugin = new RecordingPlugin(true);
    try (TestPlatforms platforms = new TestPlatforms()) {
      assertThatThrownBy(() -> platforms.start("a", b -> b.plugin(plugin)))
          .isInstanceOf(PlatformException.class)
          .hasMessageContaining("plugin recording failed to start")
          .hasMessageContaining("no licence");
    }
  }

  /** A plugin found through a services file the test writes; counts its starts. */
  public static final class Discovered implements TaskPlugin {
    static final AtomicInteger STARTS = new AtomicInteger();

    @Override
    public String name() {
      return "discovered";
    }

    @Override
    public List<TaskType> taskTypes() {
      return List.of();
    }

    @Override
    public void start(PluginContext context) {
      STARTS.incrementAndGet();
    }
  }

  @Test
  void aPluginGivenInCodeAndFoundOnTheClassPathStartsOnceAndTheDuplicateIsLogged(@TempDir Path dir)
      throws Exception {
    Path services = dir.resolve("META-INF/services/" + TaskPlugin.class.getName());
    Files.createDirectories(services.getParent());
    Files.writeString(services, Discovered.class.getName() + "\n");
    Discovered.STARTS.set(0);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream err = System.err;
    Thread thread = Thread.currentThread();
    ClassLoader loader = thread.getContextClassLoader();
    try (TestPlatforms platforms = new TestPlatforms();
        URLClassLoader withServices =
            new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      System.setErr(new PrintStream(new TeeStream(log, err), true, StandardCharsets.UTF_8));
      thread.setContextClassLoader(withServices);
      try {
        platforms.start("a", b -> b.plugin(new Discovered()).discoverPlugins(true));
      } finally {
        thread.setContextClassLoader(loader);
        System.setErr(err);
      }
      assertThat(Discovered.STARTS).hasValue(1);
      assertThat(log.toString(StandardCharsets.UTF_8))
          .contains("task plugin discovered (" + Discovered.class.getName() + ") is given twice");
    }
  }

  /** Writes to two streams. */
  private static final class TeeStream extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    TeeStream(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public synchronized void write(int c) throws IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public synchronized void write(byte[] buf, int off, int len) throws IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }
  }
}
