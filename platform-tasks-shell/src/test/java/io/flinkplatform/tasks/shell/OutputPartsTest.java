package io.flinkplatform.tasks.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The small pieces behind output handling: the outputs protocol and the tail. */
class OutputPartsTest {

  @Test
  void protocolParsesKeyValueLines() {
    OutputProtocol protocol = new OutputProtocol();

    assertThat(protocol.accept("plain line", true)).isNull();
    assertThat(protocol.accept("##output a=1", true)).isNull();
    assertThat(protocol.accept("##output b==x=", true)).isNull();
    assertThat(protocol.accept("##output =1", true)).startsWith("[shell] ignored a malformed");
    assertThat(protocol.accept("##outputc=1", true)).isNull();

    assertThat(protocol.outputs()).isEqualTo(Map.of("a", "1", "b", "=x="));
  }

  @Test
  void protocolKeepsABoundedNumberOfKeys() {
    OutputProtocol protocol = new OutputProtocol();
    IntStream.range(0, OutputProtocol.MAX_OUTPUTS)
        .forEach(i -> assertThat(protocol.accept("##output k" + i + "=v", true)).isNull());

    assertThat(protocol.accept("##output extra=v", true)).contains("further keys are ignored");
    assertThat(protocol.accept("##output extra2=v", true)).isNull();
    assertThat(protocol.accept("##output k0=updated", true)).isNull();

    assertThat(protocol.outputs())
        .hasSize(OutputProtocol.MAX_OUTPUTS)
        .containsEntry("k0", "updated")
        .doesNotContainKey("extra");
  }

  @Test
  void protocolIgnoresContinuationPieces() {
    OutputProtocol protocol = new OutputProtocol();

    assertThat(protocol.accept("##output forged=1", false)).isNull();
    assertThat(protocol.accept("##output real=2", true)).isNull();

    assertThat(protocol.outputs()).isEqualTo(Map.of("real", "2"));
  }

  @Test
  void protocolStopsCollectingPastTheTotalTheEngineAccepts() {
    OutputProtocol protocol = new OutputProtocol();
    String half = "v".repeat(OutputProtocol.MAX_TOTAL_CHARS / 2);
    assertThat(protocol.accept("##output a=" + half, true)).isNull();
    assertThat(protocol.accept("##output a=" + half, true)).isNull(); // replaced, not added
    assertThat(protocol.overflow()).isNull();

    assertThat(protocol.accept("##output b=" + half, true))
        .startsWith("[shell] the ##output lines declare more than 60000 characters");
    assertThat(protocol.accept("##output c=1", true)).isNull();

    assertThat(protocol.overflow()).contains("60000");
    assertThat(protocol.outputs()).isEmpty();
  }

  @Test
  void tailKeepsTheLastLinesCutShort() {
    OutputTail tail = new OutputTail(3);
    assertThat(tail.describe()).isEqualTo("no output");

    IntStream.rangeClosed(1, 5).forEach(i -> tail.add("l" + i));
    tail.add("x".repeat(1000));

    assertThat(tail.lines()).hasSize(3).startsWith("l4", "l5");
    assertThat(tail.lines().get(2)).hasSize(OutputTail.MAX_LINE_CHARS + 1).endsWith("…");
    assertThat(tail.describe()).startsWith("last output lines:\nl4\nl5\nxxx");
  }
}
