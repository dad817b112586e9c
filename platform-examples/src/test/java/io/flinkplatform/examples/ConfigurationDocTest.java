package io.flinkplatform.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.PlatformSettings;
import io.flinkplatform.engine.testing.DocBlocks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md documents every option of {@code Platform.builder()} (and so every
 * component of {@link PlatformSettings}) and every plugin setting the plugins read, and nothing
 * that no longer exists. Plugin settings are found in the plugins' sources (constants and {@code
 * setting("...")} calls whose text starts with the plugin's name and a dot), so a new setting fails
 * this test until it is documented.
 */
class ConfigurationDocTest {
  private static final Path ROOT = DocBlocks.projectRoot();
  private static final Pattern OPTION_ROW = Pattern.compile("(?m)^\\| `(\\w+)\\(");
  private static final Pattern SETTING_ROW = Pattern.compile("(?m)^\\| `(\\w+\\.[\\w.<>-]+)`");
  private static final Pattern PLUGIN_NAME =
      Pattern.compile("String name\\(\\)\\s*\\{\\s*return \"(\\w+)\";");

  private static String configuration() throws IOException {
    return Files.readString(ROOT.resolve("docs/configuration.md"));
  }

  private static Set<String> builderOptions() {
    return Arrays.stream(Platform.Builder.class.getDeclaredMethods())
        .filter(m -> Modifier.isPublic(m.getModifiers()) && !m.isSynthetic())
        .map(Method::getName)
        .filter(name -> !name.equals("build"))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> matches(Pattern pattern, String text) {
    Set<String> out = new TreeSet<>();
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  @Test
  void everyBuilderOptionHasARowAndEveryRowAnOption() throws IOException {
    Set<String> options = builderOptions();
    assertThat(options).contains("workerThreads", "shutdownGracePeriod", "secretNames");
    Set<String> rows = matches(OPTION_ROW, configuration());
    assertThat(rows).as("options documented in docs/configuration.md").containsAll(options);
    assertThat(options).as("documented options that Platform.Builder has").containsAll(rows);
  }

  @Test
  void everySettingComesFromADocumentedBuilderOption() throws IOException {
    Map<String, String> setBy =
        Map.of(
            "jdbcUser", "jdbcUrl",
            "jdbcPassword", "jdbcUrl",
            "globalParameters", "parameter",
            "plugins", "plugin",
            "pluginSettings", "pluginSetting",
            "listeners", "listener");
    Set<String> rows = matches(OPTION_ROW, configuration());
    for (RecordComponent c : PlatformSettings.class.getRecordComponents()) {
      assertThat(rows)
          .as("the option that sets PlatformSettings.%s", c.getName())
          .contains(setBy.getOrDefault(c.getName(), c.getName()));
    }
  }

  @Test
  void everyPluginSettingHasARowAndEveryRowASetting() throws IOException {
    Set<String> read = new TreeSet<>();
    try (Stream<Path> modules = Files.list(ROOT)) {
      for (Path module :
          modules.filter(p -> p.getFileName().toString().startsWith("platform-tasks-")).toList()) {
        read.addAll(settingsRead(module.resolve("src/main/java")));
      }
    }
    assertThat(read)
        .contains("shell.inheritEnvironment", "shell.maxDownloadSize", "flink.allowed-conf-keys")
        .contains("sql.maxPoolSize", "flink.conf.");
    Set<String> rows = matches(SETTING_ROW, configuration());
    Set<String> documented =
        rows.stream()
            .map(r -> r.replaceAll("<\\w+>", ""))
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(documented)
        .as("plugin settings documented in docs/configuration.md")
        .containsAll(read);
    assertThat(read).as("documented plugin settings that a plugin reads").containsAll(documented);
  }

  /**
   * The settings one plugin module reads: string constants and literals with its name and a dot,
   * except the audit actions' constants ({@code *_ACTION}), which docs/security.md lists.
   */
  private static Set<String> settingsRead(Path sources) throws IOException {
    Set<String> out = new TreeSet<>();
    String all;
    try (Stream<Path> files = Files.walk(sources)) {
      all =
          files
              .filter(p -> p.toString().endsWith(".java"))
              .map(ConfigurationDocTest::read)
              .collect(Collectors.joining("\n"));
    }
    Set<String> names = matches(PLUGIN_NAME, all);
    for (String name : names) {
      String key = Pattern.quote(name) + "\\.[\\w.-]*";
      // constants named *_ACTION are audit actions (flink.savepoint), listed in security.md
      out.addAll(
          matches(
              Pattern.compile("static final String \\w+(?<!_ACTION) =\\s*\"(" + key + ")\""), all));
      out.addAll(matches(Pattern.compile("setting\\(\"(" + key + ")\"\\)"), all));
    }
    return out;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
