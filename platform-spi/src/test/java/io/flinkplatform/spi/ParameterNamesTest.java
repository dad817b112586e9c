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
        // launcher options, by suffix
        "SPARK_SUBMIT_OPTS",
        "MAVEN_OPTS",
        "GRADLE_OPTS",
        "HADOOP_CLIENT_OPTS",
        "JDK_JAVA_OPTIONS",
        "ANY_TOOL_OPTIONS",
        // interpreters, viewers, TLS, clusters, clouds
        "LUA_INIT",
        "LUA_INIT_5_4",
        "LESSOPEN",
        "LESSCLOSE",
        "OPENSSL_CONF",
        "OPENSSL_ENGINES",
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
        "CURL_CA_BUNDLE",
        "REQUESTS_CA_BUNDLE",
        "KUBECONFIG",
        "DOCKER_HOST",
        "DOCKER_CONFIG",
        "AWS_ACCESS_KEY_ID",
        "AWS_CONFIG_FILE",
        "AZURE_CONFIG_DIR",
        "GOOGLE_APPLICATION_CREDENTIALS",
        "PGHOST",
        "PGPASSFILE",
        "PGSERVICEFILE",
        "MYSQL_PWD",
        "MYSQL_HOST",
        "R_PROFILE",
        "R_PROFILE_USER",
        "R_ENVIRON",
        "R_ENVIRON_USER",
        "RUBYOPT",
        "RUBYLIB",
        "GEM_HOME",
        "BUNDLE_GEMFILE",
        "NPM_CONFIG_REGISTRY",
        "npm_config_userconfig",
        "Npm_Config_Script_Shell",
        "CARGO_HOME",
        "GOFLAGS",
        "GOPATH",
        "GOROOT",
        "GOPROXY",
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
  @ValueSource(
      strings = {
        "day",
        "DAY",
        "_x",
        "path",
        "env",
        "table_1",
        "TARGET_TABLE",
        "ld",
        // near the new rules, but not read by anything
        "PG",
        "PG_1",
        "Pghost",
        "pghost",
        "R_LIBS_SITE_NAME",
        "RUN_R_PROFILE",
        "OPTS",
        "MY_OPTS_DIR",
        "options",
        "aws_region",
        "GOOGLE_PROJECT",
        "GO_VERSION",
        "NPM_TOKEN_NAME",
        "LUA_INITIAL"
      })
  void acceptsIdentifiers(String name) {
    assertThat(ParameterNames.problem(name)).isEmpty();
  }

  @Test
  void boundsTheLengthAndNamesTheRule() {
    assertThat(ParameterNames.problem("a".repeat(64))).isEmpty();
    assertThat(ParameterNames.problem("a".repeat(65))).get().asString().contains("64");
    assertThat(ParameterNames.problem("BASH_ENV")).get().asString().contains("BASH_ENV");
    assertThat(ParameterNames.problem("x\ny")).get().asString().doesNotContain("\n");
    assertThat(ParameterNames.problem("MAVEN_OPTS")).get().asString().contains("'_OPTS'");
    assertThat(ParameterNames.problem("AWS_PROFILE")).get().asString().contains("'AWS_'");
    assertThat(ParameterNames.problem("PGUSER")).get().asString().contains("libpq");
    assertThat(ParameterNames.problem("npm_config_x")).get().asString().contains("npm_config_");
  }
}
