package io.flinkplatform.engine.dag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flinkplatform.engine.InvalidRequestException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParamTypeTest {

  @Test
  void acceptsValuesOfItsTypeAndParsesThem() {
    assertThat(ParamType.STRING.parse("anything ${x}")).isEqualTo("anything ${x}");
    assertThat(ParamType.INTEGER.parse("42")).isEqualTo(42);
    assertThat(ParamType.LONG.parse("9000000000")).isEqualTo(9_000_000_000L);
    assertThat(ParamType.DOUBLE.parse("1e-3")).isEqualTo(0.001);
    assertThat(ParamType.BOOLEAN.parse("TRUE")).isEqualTo(true);
    assertThat(ParamType.DATE.parse("2026-03-15")).isEqualTo(LocalDate.of(2026, 3, 15));
    assertThat(ParamType.DATETIME.accepts("2026-03-15T02:30:00+01:00")).isTrue();
    assertThat(ParamType.JSON.parse("{\"a\": [1, 2]}")).isEqualTo(Map.of("a", List.of(1, 2)));
  }

  @Test
  void refusesOthers() {
    assertThat(ParamType.INTEGER.accepts("9000000000")).isFalse();
    assertThat(ParamType.LONG.accepts("1.5")).isFalse();
    assertThat(ParamType.DOUBLE.accepts("NaN")).isFalse();
    assertThat(ParamType.BOOLEAN.accepts("yes")).isFalse();
    assertThat(ParamType.DATE.accepts("2026-13-01")).isFalse();
    assertThat(ParamType.DATETIME.accepts("2026-03-15T02:30:00")).isFalse(); // no offset
    assertThat(ParamType.JSON.accepts("{a: 1}")).isFalse();
  }

  @Test
  void checksTheValueAsUsedWithoutTrimming() {
    assertThat(ParamType.DATE.accepts("2026-03-15\n\t")).isFalse();
    assertThat(ParamType.INTEGER.accepts(" 42")).isFalse();
    assertThat(ParamType.LONG.accepts("42\n")).isFalse();
    assertThat(ParamType.BOOLEAN.accepts("true ")).isFalse();
    assertThat(ParamType.DATETIME.accepts("\t2026-03-15T02:30:00Z")).isFalse();
    // Double.parseDouble trims and takes these itself
    assertThat(ParamType.DOUBLE.accepts(" 1.5")).isFalse();
    assertThat(ParamType.DOUBLE.accepts("1.5d")).isFalse();
    assertThat(ParamType.DOUBLE.accepts("0x1p3")).isFalse();
    assertThat(ParamType.DOUBLE.accepts("-.5e+3")).isTrue();
  }

  @Test
  void aBadValueNamesTheParameterTheValueAndTheType() {
    assertThatThrownBy(() -> ParamType.DATE.check("day", "2026-02-30"))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("parameters.day"))
        .hasMessage(
            "parameters.day: parameter 'day' is declared DATE but the value '2026-02-30' is not an"
                + " ISO date yyyy-MM-dd, e.g. 2026-03-15");
  }

  @Test
  void typesRoundTripThroughJsonAndUntypedWorkflowsStayAsTheyWere() {
    Workflow w =
        Workflow.builder("typed")
            .parameter("limit", ParamType.INTEGER, "10")
            .parameter("day", ParamType.DATE, "${date}")
            .parameterType("filter", ParamType.JSON)
            .parameter("env", "prod")
            .task("a", "noop")
            .build();
    String json = WorkflowJson.write(w);
    assertThat(json).contains("\"parameterTypes\"").contains("\"limit\" : \"INTEGER\"");
    Workflow back = WorkflowJson.read(json);
    assertThat(back).isEqualTo(w);
    assertThat(back.parameterType("env")).isEqualTo(ParamType.STRING);
    assertThat(back.parameterType("filter")).isEqualTo(ParamType.JSON);

    Workflow plain = Workflow.builder("plain").parameter("env", "prod").task("a", "noop").build();
    assertThat(WorkflowJson.write(plain)).doesNotContain("parameterTypes");
    assertThat(new Workflow("plain", "", plain.parameters(), plain.tasks(), plain.edges()))
        .isEqualTo(plain);
  }

  @Test
  void anUnknownTypeInJsonIsAProblem() {
    String json =
        "{\"name\": \"w\", \"parameterTypes\": {\"x\": \"DECIMAL\"},"
            + " \"tasks\": [{\"id\": \"a\", \"type\": \"noop\"}]}";
    assertThatThrownBy(() -> WorkflowJson.read(json))
        .hasMessageContaining("parameterTypes: x 'DECIMAL' is not one of [STRING, INTEGER");
  }
}
