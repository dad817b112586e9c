package io.flinkplatform.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParameterNamesTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "BASH_ENV",
        "ENV",
        "BASH_FUNC_echo%%",
        "BASH_FUNC_x",
        "SHELLOPTS",
        "BASHOPTS",
        "PS4",
        "IFS",
        "PATH",
        "LD_PRELOAD",
        "LD_LIBRARY_PATH",
        "PERL5OPT",
        "PYTHONWARNINGS",
        "PYTHONSTARTUP",
        "JAVA_TOOL_OPTIONS",
        "_JAVA_OPTIONS",
        "NODE_OPTIONS",
        "GIT_SSH_COMMAND",
        "http_proxy",
        "GLIBC_TUNABLES",
        "PLATFORM_RUN_ID",
        "UPSTREAM_A_B",
        "a.b",
        "1day",
        "",
        "da y",
        "x=y",
        "x\ny",
        "é"
      })
  void refusesNamesThatChangeHowAProcessStarts(String name) {
    assertThat(ParameterNames.problem(name)).isPresent();
    assertThat(ParameterNames.isExportable(name)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"day", "DAY", "_x", "path", "env", "table_1", "TARGET_TABLE", "ld"})
  void acceptsIdentifiers(String name) {
    assertThat(ParameterNames.problem(name)).isEmpty();
  }

  @Test
  void boundsTheLengthAndNamesTheRule() {
    assertThat(ParameterNames.problem("a".repeat(64))).isEmpty();
    assertThat(ParameterNames.problem("a".repeat(65))).get().asString().contains("64");
    assertThat(ParameterNames.problem("BASH_ENV")).get().asString().contains("BASH_ENV");
    assertThat(ParameterNames.problem("x\ny")).get().asString().doesNotContain("\n");
  }
}
