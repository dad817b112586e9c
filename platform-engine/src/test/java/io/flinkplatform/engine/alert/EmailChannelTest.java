package io.flinkplatform.engine.alert;

import static io.flinkplatform.engine.alert.Receiver.TIMEOUT;
import static io.flinkplatform.engine.alert.Receiver.channel;
import static io.flinkplatform.engine.alert.Receiver.failure;
import static io.flinkplatform.engine.alert.Receiver.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.flinkplatform.spi.AlertChannel;
import io.flinkplatform.spi.AlertDeliveryException;
import io.flinkplatform.spi.InvalidInputException;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The email channel against a real SMTP server (GreenMail on free ports): plain, with a login, and
 * the TLS modes refusing to fall back to plain text. GreenMail has no STARTTLS and its SMTPS
 * certificate is self-signed, which the channel (rightly) does not trust: those two cases are the
 * permanent failures they must be, a successful TLS session is not tested here.
 */
class EmailChannelTest {
  private static final String PASSWORD = "pa55-Wq9-smtp-secret";
  private final AlertChannel email = channel("email");
  private GreenMail server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop();
    }
  }

  private GreenMail start(ServerSetup... setups) {
    server = new GreenMail(ServerSetups.dynamic(setups));
    server.start();
    return server;
  }

  @Test
  void aPlainServerGetsOneMailPerRecipientWithTheKeyAsMessageId() throws Exception {
    start(ServerSetupTest.SMTP);
    Map<String, Object> options = options("none");
    options.put("to", List.of("oncall@example.com", "lead@example.com"));
    options.put("subjectPrefix", "[prod]");
    email.validate(options);
    email.send(message(), options, TIMEOUT);

    assertThat(server.waitForIncomingEmail(5000, 2)).isTrue();
    MimeMessage[] got = server.getReceivedMessages();
    assertThat(got).hasSize(2);
    MimeMessage mail = got[0];
    assertThat(mail.getSubject()).isEqualTo("[prod] [CRITICAL] run 42 of etl_daily FAILED");
    assertThat(mail.getMessageID()).isEqualTo("<3f1c9e0ab27d4c55@flink-platform>");
    assertThat(mail.getHeader("X-FlinkPlatform-Idempotency-Key", null))
        .isEqualTo("3f1c9e0ab27d4c55");
    assertThat(mail.getFrom()[0].toString()).isEqualTo("alerts@example.com");
    assertThat(Arrays.stream(mail.getRecipients(Message.RecipientType.TO)).map(Object::toString))
        .containsExactly("oncall@example.com", "lead@example.com");
    String body = GreenMailUtil.getBody(mail);
    assertThat(body)
        .contains("failed at task load")
        .contains("https://console.example.com/runs/42");
    assertThat(mail.getSentDate().toInstant()).isEqualTo(message().at());
  }

  @Test
  void aLinkTheTextAlreadyShowsIsNotRepeated() throws Exception {
    start(ServerSetupTest.SMTP);
    email.send(Receiver.messageWithLinkInText(), options("none"), TIMEOUT);
    assertThat(server.waitForIncomingEmail(5000, 1)).isTrue();
    String body = GreenMailUtil.getBody(server.getReceivedMessages()[0]);
    assertThat(Receiver.occurrences(body, "https://console.example.com/runs/42")).isEqualTo(1);
  }

  @Test
  void aLoginIsUsedAndARefusedOneIsNotRetried() throws Exception {
    start(ServerSetupTest.SMTP);
    server.setUser("alerts@example.com", "alerts", PASSWORD);
    Map<String, Object> options = options("none");
    options.put("user", "alerts");
    options.put("password", PASSWORD);
    email.send(message(), options, TIMEOUT);
    assertThat(server.waitForIncomingEmail(5000, 1)).isTrue();

    options.put("password", "wrong-" + PASSWORD);
    AlertDeliveryException refused = failure(email, options, message());
    assertThat(refused.retryable()).isFalse();
    assertThat(refused.getMessage()).contains("login as 'alerts' refused").contains("127.0.0.1:");
    assertThat(refused.toString()).doesNotContain(PASSWORD);
  }

  @Test
  void starttlsIsRequiredNeverSkippedWhenTheServerDoesNotOfferIt() {
    start(ServerSetupTest.SMTP);
    Map<String, Object> options = options("starttls");
    options.put("user", "alerts");
    options.put("password", PASSWORD);
    AlertDeliveryException e = failure(email, options, message());
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).contains("STARTTLS");
    assertThat(e.toString()).doesNotContain(PASSWORD);
    assertThat(server.getReceivedMessages()).isEmpty();
  }

  @Test
  void smtpsChecksTheServersCertificate() {
    start(ServerSetupTest.SMTPS);
    Map<String, Object> options = options("smtps");
    options.put("port", server.getSmtps().getPort());
    AlertDeliveryException e = failure(email, options, message());
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).contains("TLS");
    assertThat(server.getReceivedMessages()).isEmpty();
  }

  @Test
  void anUnreachableServerIsRetryable() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    Map<String, Object> options = options("none");
    options.put("port", closed);
    AlertDeliveryException e = failure(email, options, message());
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).contains("127.0.0.1:" + closed);
  }

  @Test
  void badAddressesPortsAndHalfLoginsAreRefusedNamingTheOption() {
    Map<String, Object> options = options("none");
    options.put("port", 587);
    options.put("to", List.of("oncall@example.com", "not an address"));
    assertField(options, "to", "not an address");
    options.put("to", List.of());
    assertField(options, "to", "at least one");
    options.put("to", List.of("oncall@example.com"));
    options.put("from", "alerts");
    assertField(options, "from", "alerts");
    options.put("from", "alerts@example.com");
    options.put("port", 70000);
    assertField(options, "port", "65535");
    options.put("port", 587);
    options.put("user", "alerts");
    assertField(options, "password", "together");
    options.remove("user");
    options.put("host", "smtp example com");
    assertField(options, "host", "host name");
  }

  private void assertField(Map<String, Object> options, String field, String says) {
    assertThatThrownBy(() -> email.validate(options))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(says)
        .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo(field));
  }

  private Map<String, Object> options(String tls) {
    Map<String, Object> o = new HashMap<>();
    o.put("host", "127.0.0.1");
    o.put(
        "port", server == null ? 587 : server.getSmtp() == null ? 587 : server.getSmtp().getPort());
    o.put("tls", tls);
    o.put("from", "alerts@example.com");
    o.put("to", List.of("oncall@example.com"));
    return o;
  }

  /** GreenMail's test setups on free ports, bound to the loopback address. */
  private static final class ServerSetups {
    static ServerSetup[] dynamic(ServerSetup... setups) {
      return Arrays.stream(setups)
          .map(s -> s.createCopy("127.0.0.1").dynamicPort())
          .toArray(ServerSetup[]::new);
    }
  }
}
