package io.flinkplatform.engine.testing.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.testing.DocBlocks;
import io.flinkplatform.engine.testing.DocBlocks.Block;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The examples of docs/testing.md that are excerpts of the tests in this package (marked {@code
 * not-runnable: an excerpt of X}) are still what X says: every line of the excerpt, leading blanks
 * aside, is a line of X's source. X itself runs in this suite.
 */
class TestingDocTest {
  private static final Pattern EXCERPT = Pattern.compile("an excerpt of (\\w+)");

  @Test
  void everyExcerptIsStillInTheTestItQuotes() throws Exception {
    List<Block> excerpts =
        DocBlocks.blocks(DocBlocks.projectRoot().resolve("docs/testing.md")).stream()
            .filter(b -> b.notRunnable().map(r -> EXCERPT.matcher(r).find()).orElse(false))
            .toList();
    assertThat(excerpts).hasSize(2);
    Path sources = Path.of("src/test/java/io/flinkplatform/engine/testing/example");
    for (Block excerpt : excerpts) {
      Matcher m = EXCERPT.matcher(excerpt.notRunnable().orElseThrow());
      m.find();
      List<String> test =
          Files.readAllLines(sources.resolve(m.group(1) + ".java")).stream()
              .map(String::strip)
              .toList();
      assertThat(excerpt.text().lines().map(String::strip).filter(l -> !l.isEmpty()))
          .as(excerpt.where() + " quotes " + m.group(1))
          .allSatisfy(line -> assertThat(test).contains(line));
    }
  }
}
