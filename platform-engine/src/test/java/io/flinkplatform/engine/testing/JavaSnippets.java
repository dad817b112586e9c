package io.flinkplatform.engine.testing;

import io.flinkplatform.engine.testing.DocBlocks.Block;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * Compiles the Java examples of the documentation against the test class path, each inside a
 * generated wrapper with the usual imports. A block that declares a type (class, interface, record,
 * enum) becomes a source file of its own; a block that starts with {@code .} continues a {@code
 * Workflow.builder(...)}; any other block is a method body in which the names the documents use
 * without declaring them ({@code client}, {@code password}, {@code runId}, ...) are fields.
 */
public final class JavaSnippets {
  private static final String PACKAGE = "docexamples";
  private static final Pattern TYPE =
      Pattern.compile(
          "^(?:public\\s+)?(?:final\\s+|abstract\\s+)*(?:class|interface|record|enum)\\s+(\\w+)",
          Pattern.MULTILINE);

  /** The packages every example may use without importing them. */
  public static final List<String> IMPORTS =
      List.of(
          "io.flinkplatform.engine",
          "io.flinkplatform.engine.access",
          "io.flinkplatform.engine.alert",
          "io.flinkplatform.engine.dag",
          "io.flinkplatform.engine.event",
          "io.flinkplatform.engine.run",
          "io.flinkplatform.engine.schedule",
          "io.flinkplatform.engine.storage",
          "io.flinkplatform.engine.testing",
          "io.flinkplatform.spi",
          "java.io",
          "java.net",
          "java.net.http",
          "java.nio.file",
          "java.time",
          "java.util");

  /** The names examples use without declaring them, as fields of each wrapper. */
  private static final String CONTEXT =
      """
        interface Vault { Optional<String> read(String name); }
        PlatformClient client;
        String password;
        String url;
        String user;
        String secretFromTheUser;
        long runId;
        long attemptId;
        ScheduleSpec spec;
        Vault vault;
        org.slf4j.Logger log;
      """;

  private JavaSnippets() {}

  /**
   * Compiles the blocks, with the {@link #IMPORTS} and {@code moreImports} (packages), into {@code
   * output}; returns every error, each naming its block and the line in the block.
   */
  public static List<String> compile(List<Block> blocks, List<String> moreImports, Path output) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new IllegalStateException("no Java compiler: the tests need a JDK, not a JRE");
    }
    StringBuilder imports = new StringBuilder("package " + PACKAGE + ";\n");
    for (String p : IMPORTS) {
      imports.append("import ").append(p).append(".*;\n");
    }
    for (String p : moreImports) {
      imports.append("import ").append(p).append(".*;\n");
    }
    List<Source> sources = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      sources.add(source(blocks.get(i), "Example" + i, imports.toString()));
    }
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    List<String> options =
        List.of(
            "-classpath",
            System.getProperty("java.class.path"),
            "-d",
            output.toString(),
            "-proc:none",
            "-implicit:none",
            "-Xlint:none",
            "-nowarn");
    javac.getTask(null, null, diagnostics, options, null, sources).call();
    List<String> errors = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      if (d.getKind() == Diagnostic.Kind.ERROR) {
        Source s = (Source) d.getSource();
        String where =
            s == null
                ? "?"
                : s.block.where() + " (line " + (d.getLineNumber() - s.firstLine + 1) + ")";
        errors.add(where + ": " + d.getMessage(Locale.ROOT));
      }
    }
    return errors;
  }

  private static Source source(Block block, String name, String imports) {
    String text = block.text();
    Matcher type = TYPE.matcher(text);
    int header = (int) imports.lines().count();
    if (type.find() && text.substring(0, type.start()).isBlank()) {
      return new Source(block, type.group(1), imports + text, header + 1);
    }
    boolean chain = text.strip().startsWith(".");
    String code =
        imports
            + "abstract class "
            + name
            + " {\n"
            + CONTEXT
            + "  void run() throws Exception {\n"
            + (chain ? "Workflow.Builder workflow = Workflow.builder(\"example\")\n" : "")
            + text
            + (chain ? ";\n" : "")
            + "  }\n}\n";
    int first = header + 1 + (int) CONTEXT.lines().count() + 1 + (chain ? 1 : 0) + 1;
    return new Source(block, name, code, first);
  }

  /** A generated source file: which block it holds and where the block's first line is. */
  private static final class Source extends SimpleJavaFileObject {
    private final Block block;
    private final String code;
    private final long firstLine;

    Source(Block block, String typeName, String code, long firstLine) {
      super(
          URI.create("string:///" + PACKAGE + "/" + typeName + Kind.SOURCE.extension), Kind.SOURCE);
      this.block = block;
      this.code = code;
      this.firstLine = firstLine;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return code;
    }
  }
}
