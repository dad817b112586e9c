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
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The email channel against a real SMTP server (GreenMail on free ports): plain, with a login, and
 * the TLS modes. GreenMail's SMTPS serves a certificate for 127.0.0.1 made here with keytool: the
 * JVM's trust store does not know it (a permanent failure), a test that trusts it for its duration
 * sends over SMTPS with the server name checked. GreenMail has no STARTTLS: asking for it is the
 * permanent failure it must be; a successful STARTTLS session is not tested here.
 */
class EmailChannelTest {
  private static final String PASSWORD = "pa55-Wq9-smtp-secret";
  private static final String STORE_PASSWORD = "changeit";
  private static Path keystore;
  private final AlertChannel email = channel("email");

  /** A self-signed certificate for 127.0.0.1 that GreenMail's SMTPS serves (read once per JVM). */
  @BeforeAll
  static void certificate(@TempDir Path dir) throws Exception {
    keystore = dir.resolve("smtps.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "smtps",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "san=ip:127.0.0.1",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                STORE_PASSWORD,
                "-keypass",
                STORE_PASSWORD)
            .redirectErrorStream(true)
            .start();
    try {
      assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).as("keytool ended").isTrue();
      String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(keytool.exitValue()).as("keytool: %s", out).isZero();
    } finally {
      keytool.destroyForcibly();
    }
    System.setProperty("greenmail.tls.keystore.file", keystore.toString());
    System.setProperty("greenmail.tls.keystore.password", STORE_PASSWORD);
  }

  @AfterAll
  static void forgetCertificate() {
    System.clearProperty("greenmail.tls.keystore.file");
    System.clearProperty("greenmail.tls.keystore.password");
  }

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
  void smtpsWithATrustedCertificateDeliversWithTheLoginOverTls() throws Exception {
    start(ServerSetupTest.SMTPS);
    server.setUser("alerts@example.com", "alerts", PASSWORD);
    Map<String, Object> options = options("smtps");
    options.put("port", server.getSmtps().getPort());
    options.put("user", "alerts");
    options.put("password", PASSWORD);
    SSLContext original = SSLContext.getDefault();
    SSLContext.setDefault(trusting(keystore));
    try {
      email.send(message(), options, TIMEOUT);
    } finally {
      SSLContext.setDefault(original);
    }
    assertThat(server.waitForIncomingEmail(5000, 1)).isTrue();
    assertThat(server.getReceivedMessages()[0].getMessageID())
        .isEqualTo("<3f1c9e0ab27d4c55@flink-platform>");
  }

  /** A TLS context that trusts only the certificate in {@code store}. */
  private static SSLContext trusting(Path store) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, STORE_PASSWORD.toCharArray());
    }
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("smtps", keys.getCertificate("smtps"));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
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
