package io.flinkplatform.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the example end to end: embedded MariaDB, platform, shell tasks. */
class ExampleAppTest {

  @Test
  void exampleRunEndsAsExpected(@TempDir Path logs) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int code;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      code = ExampleApp.run(out, logs);
    }
    String output = bytes.toString(StandardCharsets.UTF_8);
    System.out.println(output);

    assertThat(code).as(output).isZero();
    assertThat(output)
        .contains("Example finished as expected.")
        .contains("TASK", "STATE", "ATTEMPTS", "DURATION")
        .containsPattern("transform_customers +SUCCESS +2 ")
        .containsPattern("validate +FAILED +1 ")
        .containsPattern("notify_failure +SKIPPED +1 ")
        .contains("summary=42 orders, 17 customers, 5 products")
        .contains("flowchart");
  }
}
