package io.flinkplatform.engine.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The fenced code blocks of the project's Markdown documents (README.md and everything under
 * docs/), for tests that check the examples still work. A block preceded by {@code <!--
 * not-runnable: reason -->} on the line before its fence carries that reason and is left out by
 * those tests.
 */
public final class DocBlocks {
  private static final Pattern FENCE = Pattern.compile("^\\s*```(\\w*)\\s*$");
  private static final Pattern NOT_RUNNABLE =
      Pattern.compile("^\\s*<!--\\s*not-runnable:\\s*(.+?)\\s*-->\\s*$");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** One fenced block: where it starts (the fence's line, from 1), its language and its text. */
  public record Block(
      Path file, int line, String language, String text, Optional<String> notRunnable) {

    /** The file relative to the project root and the line, e.g. {@code docs/tasks/sql.md:12}. */
    public String where() {
      return projectRoot().relativize(file).toString().replace('\\', '/') + ":" + line;
    }

    @Override
    public String toString() {
      return where();
    }
  }

  private DocBlocks() {}

  /**
   * The project's root: the nearest directory, from the working directory up, that holds README.md
   * and docs/ (a module's tests run in the module's directory).
   */
  public static Path projectRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("docs"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no README.md with a docs/ beside it above " + Path.of(""));
  }

  /** README.md and every Markdown file under docs/, in a stable order. */
  public static List<Path> documents() {
    Path root = projectRoot();
    List<Path> out = new ArrayList<>(List.of(root.resolve("README.md")));
    try (Stream<Path> files = Files.walk(root.resolve("docs"))) {
      files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(out::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** The blocks of every document in the given language ({@code java}, {@code json}, ...). */
  public static List<Block> all(String language) {
    return documents().stream()
        .flatMap(d -> blocks(d).stream())
        .filter(b -> b.language().equals(language))
        .toList();
  }

  /** The fenced blocks of one document. */
  public static List<Block> blocks(Path document) {
    List<String> lines;
    try {
      lines = Files.readAllLines(document);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Block> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher open = FENCE.matcher(lines.get(i));
      if (!open.matches()) {
        continue;
      }
      int end = i + 1;
      while (end < lines.size() && !FENCE.matcher(lines.get(end)).matches()) {
        end++;
      }
      if (end == lines.size()) {
        throw new IllegalStateException(document + ":" + (i + 1) + ": a code block never ends");
      }
      Optional<String> reason = Optional.empty();
      if (i > 0) {
        Matcher m = NOT_RUNNABLE.matcher(lines.get(i - 1));
        reason = m.matches() ? Optional.of(m.group(1)) : Optional.empty();
      }
      out.add(
          new Block(
              document,
              i + 1,
              open.group(1),
              String.join("\n", lines.subList(i + 1, end)) + "\n",
              reason));
      i = end;
    }
    return out;
  }

  /**
   * A JSON block as a workflow document: a workflow (it has {@code tasks}) as it is, a single task
   * (it has {@code id} and {@code type}) inside a workflow of its own named after the block.
   *
   * @throws IllegalArgumentException if the block is neither
   */
  public static String workflowJson(Block block) {
    JsonNode node;
    try {
      node = MAPPER.readTree(block.text());
    } catch (IOException e) {
      throw new IllegalArgumentException(block.where() + ": not valid JSON: " + e.getMessage());
    }
    if (node.has("tasks")) {
      return block.text();
    }
    if (node.has("id") && node.has("type")) {
      ObjectNode workflow = MAPPER.createObjectNode();
      workflow.put("name", workflowName(block));
      workflow.putArray("tasks").add(node);
      return workflow.toString();
    }
    throw new IllegalArgumentException(
        block.where() + ": neither a workflow (with tasks) nor a task (with id and type)");
  }

  /** A workflow name for a block: {@code doc_<file name>_<line>}. */
  public static String workflowName(Block block) {
    String file = block.file().getFileName().toString().replaceAll("\\.md$", "");
    return ("doc_" + file + "_" + block.line()).replaceAll("[^A-Za-z0-9_]", "_");
  }
}
