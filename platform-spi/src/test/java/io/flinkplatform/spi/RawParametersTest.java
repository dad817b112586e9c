package io.flinkplatform.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RawParametersTest {
  private static final List<TaskOption> OPTIONS =
      List.of(
          TaskOption.required("script", OptionType.STRING, "the text"),
          RawParameters.declaration("names the script may splice"));

  private static TaskConfig listing(String... names) {
    return TaskConfig.of(Map.of("script", "x", RawParameters.OPTION, List.of(names)), OPTIONS);
  }

  @Test
  void declaresTheSharedOptionAsAnOptionalListOfStrings() {
    TaskOption option = RawParameters.declaration("names the script may splice");

    assertThat(option.name()).isEqualTo("rawParameters");
    assertThat(option.type()).isEqualTo(OptionType.STRING_LIST);
    assertThat(option.required()).isFalse();
  }

  @Test
  void namesAreListedOnceInOrderOfFirstAppearance() {
    assertThat(RawParameters.names("${raw:b} ${a} ${raw:a} ${raw:b} $${raw} ${raw:up.t.k}"))
        .containsExactly("b", "a", "up.t.k");
  }

  @Test
  void malformedNamesComeFirstThenEachUnlistedNameOnce() {
    String text = "${raw:x} ${raw:a b} ${raw:x} ${raw:ok} ${raw:}";

    assertThat(RawParameters.problems(listing("ok"), "script", text, "the SQL"))
        .containsExactly(
            "'script' holds '${raw:a b}'; a raw parameter is written ${raw:name}, the name made"
                + " of letters, digits, '_', '.' and '-'",
            "'script' holds '${raw:}'; a raw parameter is written ${raw:name}, the name made of"
                + " letters, digits, '_', '.' and '-'",
            "'script' splices ${raw:x} but option 'rawParameters' does not list 'x'; list it"
                + " there to let its value become part of the SQL");
    assertThat(RawParameters.problems(listing("x", "ok"), "script", "${raw:x}", "the SQL"))
        .isEmpty();
  }

  @Test
  void splicesListedValuesAsIsEvenWithReplacementCharacters() {
    String spliced =
        RawParameters.splice(
            "select * from ${raw:t} where ${raw:c}; -- ${raw:t}",
            listing("t", "c"),
            Map.of("t", "db.orders", "c", "price > $1 and note = '\\n'"),
            "parameters");

    assertThat(spliced)
        .isEqualTo("select * from db.orders where price > $1 and note = '\\n'; -- db.orders");
  }

  @Test
  void refusesAnUnlistedNameBeforeLookingForItsValue() {
    assertThatThrownBy(
            () ->
                RawParameters.splice(
                    "drop ${raw:t}", listing("other"), Map.of("t", "x"), "parameters"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("${raw:t} is not listed in option 'rawParameters'");
  }

  @Test
  void aListedNameWithoutAValueNamesTheDefinedOnes() {
    assertThatThrownBy(
            () ->
                RawParameters.splice(
                    "${raw:missing}",
                    listing("missing"),
                    Map.of("day", "1", "b", "2"),
                    "parameters and upstream outputs"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "parameter 'missing' is used as ${raw:missing} but not defined; defined parameters"
                + " and upstream outputs: [b, day]");
  }

  @Test
  void aStubReplacesEveryPlaceholderByAPlainWord() {
    assertThat(RawParameters.stub("insert into ${raw:t} select ${x} from ${raw:a b}"))
        .isEqualTo("insert into raw_value select ${x} from raw_value");
  }
}
