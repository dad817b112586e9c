package io.flinkplatform.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiOperationTest {
  private static final ApiOperation.Handler NONE = r -> null;

  @Test
  void describesItsPathParametersAndWhetherItChanges() {
    ApiOperation get = ApiOperation.get("flink/jobs", Role.VIEWER, "jobs", NONE);
    ApiOperation post =
        ApiOperation.post(
                "flink/jobs/{jobId}/savepoints", Role.OPERATOR, "flink.savepoint", "s", NONE)
            .withQuery("wait", "how long")
            .withBody("{}")
            .withColumns(ApiOperation.Column.of("jobId", "Job"));
    assertThat(get.changes()).isFalse();
    assertThat(get.action()).isEqualTo("read");
    assertThat(get.pathParams()).isEmpty();
    assertThat(post.changes()).isTrue();
    assertThat(post.pathParams()).containsExactly("jobId");
    assertThat(post.query()).containsEntry("wait", "how long");
    assertThat(post.body()).contains("{}");
    assertThat(post.columns()).containsExactly(new ApiOperation.Column("jobId", "Job"));
  }

  @Test
  void refusesAMalformedMethodPathOrAction() {
    assertThatThrownBy(
            () ->
                new ApiOperation(
                    "PATCH",
                    "x",
                    Role.VIEWER,
                    "read",
                    "",
                    Map.of(),
                    Optional.empty(),
                    List.of(),
                    NONE))
        .hasMessageContaining("method must be one of [DELETE, GET, POST, PUT]");
    assertThatThrownBy(() -> ApiOperation.get("/datasources", Role.VIEWER, "", NONE))
        .hasMessageContaining("without a leading slash");
    assertThatThrownBy(() -> ApiOperation.get("a/{b-c}", Role.VIEWER, "", NONE))
        .hasMessageContaining("path 'a/{b-c}'");
    assertThatThrownBy(() -> ApiOperation.post("a", Role.EDITOR, "Bad Action", "", NONE))
        .hasMessageContaining("action 'Bad Action'");
  }

  @Test
  void aRequestsTextFieldNamesTheFieldAtFault() {
    ApiRequest r =
        new ApiRequest() {
          @Override
          public Actor actor() {
            return Actor.SYSTEM;
          }

          @Override
          public String workspace() {
            return Workspaces.DEFAULT;
          }

          @Override
          public String path(String name) {
            throw new IllegalArgumentException(name);
          }

          @Override
          public Optional<String> query(String name) {
            return Optional.empty();
          }

          @Override
          public Map<String, Object> body() {
            return Map.of("n", 3, "s", " ");
          }

          @Override
          public String bodyText() {
            return "";
          }
        };
    assertThatThrownBy(() -> r.text("n", false))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("n"));
    assertThatThrownBy(() -> r.text("s", true))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("s"));
    assertThat(r.text("missing", false)).isEmpty();
  }
}
