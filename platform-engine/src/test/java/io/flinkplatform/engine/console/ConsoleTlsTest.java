package io.flinkplatform.engine.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinkplatform.engine.Platform;
import io.flinkplatform.engine.access.Authenticator;
import io.flinkplatform.engine.testing.TestPlatforms;
import io.flinkplatform.spi.Actor;
import io.flinkplatform.spi.Role;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console over HTTPS with a host's own authenticator: a real key made by the JDK's keytool, the
 * session cookie {@code Secure}, HSTS on every answer, a login checked by the host (its users, not
 * the built-in ones) with roles from the stored members.
 */
class ConsoleTlsTest {
  private static final char[] STORE_PASSWORD = "changeit-changeit".toCharArray();
  @TempDir static Path dir;
  private static TestPlatforms platforms;
  private static Platform platform;
  private static SSLContext tls;

  /** The host's directory: one user, "carol" with the password "from the directory". */
  private static final Authenticator DIRECTORY =
      new Authenticator() {
        @Override
        public Optional<Actor> password(String user, char[] password) {
          boolean ok =
              user.equals("carol") && Arrays.equals(password, "from the directory".toCharArray());
          Arrays.fill(password, '\0');
          return ok ? Optional.of(Actor.user("carol")) : Optional.empty();
        }

        @Override
        public Optional<Actor> token(String presentedToken) {
          return Optional.empty();
        }
      };

  @BeforeAll
  static void start() throws Exception {
    Path keystore = dir.resolve("console.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "console",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "SAN=ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                new String(STORE_PASSWORD))
            .redirectErrorStream(true)
            .start();
    String out = new String(keytool.getInputStream().readAllBytes());
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).as(out).isZero();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, STORE_PASSWORD);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, STORE_PASSWORD);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    platforms = new TestPlatforms();
    platform =
        platforms.start(
            "tls",
            b ->
                b.console(
                    ConsoleSettings.builder().port(0).tls(tls).authenticator(DIRECTORY).build()));
    platform.client().setMember("carol", Role.VIEWER);
  }

  @AfterAll
  static void stop() {
    platforms.close();
  }

  @Test
  void aLoginOverTlsSetsASecureCookieAndTheHostDecidesWhoLogsIn() throws Exception {
    URI base = platform.consoleUri().orElseThrow();
    assertThat(base.getScheme()).isEqualTo("https");
    HttpClient http = HttpClient.newBuilder().sslContext(tls).build();
    HttpResponse<String> login =
        http.send(
            HttpRequest.newBuilder(base.resolve("api/v1/session"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"user\":\"carol\",\"password\":\"from the directory\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie).contains("Secure", "HttpOnly", "SameSite=Strict");
    assertThat(login.headers().firstValue("Strict-Transport-Security")).isPresent();
    HttpResponse<String> me =
        http.send(
            HttpRequest.newBuilder(base.resolve("api/v1/workspaces"))
                .header("Cookie", cookie.split(";")[0])
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(me.body()).contains("\"name\":\"default\"", "\"role\":\"VIEWER\"");
    HttpResponse<String> wrong =
        http.send(
            HttpRequest.newBuilder(base.resolve("api/v1/session"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"user\":\"carol\",\"password\":\"a guess of some length\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(wrong.statusCode()).isEqualTo(401);
  }
}
