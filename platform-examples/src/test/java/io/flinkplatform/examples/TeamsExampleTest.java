package io.flinkplatform.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the two-teams example end to end: embedded MariaDB, workspaces, roles, audit trail. */
class TeamsExampleTest {

  @Test
  void twoTeamsStayApartAndTheAuditTrailShowsWhoDidWhat(@TempDir Path logs) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int code;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      code = TeamsExample.run(out, logs);
    }
    String output = bytes.toString(StandardCharsets.UTF_8);
    System.out.println(output);
    assertThat(code).as(output).isZero();
    assertThat(output)
        .contains("bob (finance) sees that run: false")
        .contains("carol (viewer) may not trigger")
        .containsPattern("alice +run.trigger +run:\\d+ +192.0.2.10")
        .contains("Example finished as expected.");
  }
}
