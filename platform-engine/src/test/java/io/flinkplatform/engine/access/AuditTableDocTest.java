package io.flinkplatform.engine.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.testing.DocBlocks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The audit table of docs/security.md names every {@link Action} that writes an audit row and
 * nothing else of the engine's; the plugins' actions it names are written by the plugins' sources.
 */
class AuditTableDocTest {
  private static final Path ROOT = DocBlocks.projectRoot();
  private static final Pattern ACTION = Pattern.compile("`([a-z-]+(?:\\.[a-z-]+)+)`");
  private static final Set<String> PLUGIN_PREFIXES =
      Set.of("datasource.", "catalog.", "function.", "flink.");

  /** The actions in the first column of the table of the "Audit trail" section. */
  private static Set<String> documented() throws IOException {
    String doc = Files.readString(ROOT.resolve("docs/security.md"));
    int from = doc.indexOf("\n## Audit trail\n");
    assertThat(from).as("docs/security.md has an Audit trail section").isPositive();
    int to = doc.indexOf("\n## ", from + 1);
    Set<String> actions = new TreeSet<>();
    for (String line : doc.substring(from, to < 0 ? doc.length() : to).split("\n")) {
      if (line.startsWith("| `")) {
        Matcher m = ACTION.matcher(line.split("\\|")[1]);
        while (m.find()) {
          actions.add(m.group(1));
        }
      }
    }
    return actions;
  }

  private static boolean ofPlugin(String action) {
    return PLUGIN_PREFIXES.stream().anyMatch(action::startsWith);
  }

  @Test
  void everyEngineActionThatChangesSomethingIsListedAndNoOtherOne() throws IOException {
    Set<String> engine =
        documented().stream()
            .filter(a -> !ofPlugin(a))
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> audited =
        Arrays.stream(Action.values())
            .filter(Action::changes)
            .map(Action::id)
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(engine).isEqualTo(audited);
  }

  @Test
  void everyPluginActionListedIsOneAPluginWrites() throws IOException {
    Set<String> plugin =
        documented().stream().filter(AuditTableDocTest::ofPlugin).collect(Collectors.toSet());
    assertThat(plugin).contains("flink.savepoint", "flink.stop", "datasource.create");
    StringBuilder sources = new StringBuilder();
    for (String module : new String[] {"platform-tasks-sql", "platform-tasks-flink"}) {
      try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          sources.append(Files.readString(f));
        }
      }
    }
    assertThat(plugin).allSatisfy(a -> assertThat(sources).contains("\"" + a + "\""));
  }
}
