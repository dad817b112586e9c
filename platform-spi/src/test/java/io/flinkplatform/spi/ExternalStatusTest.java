package io.flinkplatform.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExternalStatusTest {
  @Test
  void runningKeepsTheReferenceAndReleasesNothingUnlessAsked() {
    ExternalStatus.Running plain = ExternalStatus.running("RUNNING");
    assertThat(plain.releaseDownstream()).isFalse();
    assertThat(plain.ref()).isEmpty();

    ExternalRef next = new ExternalRef("job", Map.of("application_id", "application_1_0001"));
    ExternalStatus.Running released = ExternalStatus.running("RUNNING", true).withRef(next);
    assertThat(released.releaseDownstream()).isTrue();
    assertThat(released.ref()).contains(next);
    assertThat(released.detail()).isEqualTo("RUNNING");

    assertThatThrownBy(() -> new ExternalStatus.Running("x", false, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("ref is null");
    assertThat(new ExternalStatus.Running("RUNNING", false, Optional.empty())).isEqualTo(plain);
  }

  @Test
  void taskFailedExceptionStandsForItsFailure() {
    assertThat(TaskFailedException.fatal("bad plan").outcome())
        .isEqualTo(new TaskOutcome.Failure("bad plan", false));
    assertThat(TaskFailedException.retryable("cluster down").outcome())
        .isEqualTo(new TaskOutcome.Failure("cluster down", true));
    assertThatThrownBy(() -> TaskFailedException.fatal(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("message is null");
  }
}
