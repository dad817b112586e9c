package io.flinkplatform.engine.console;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.engine.access.Authenticator;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * Where and how an instance serves the operations console and its REST API ({@code
 * Platform.builder().console(...)}; docs/console.md). Every option has a default: {@code
 * ConsoleSettings.builder().build()} serves plain HTTP on {@code 127.0.0.1:8080}.
 *
 * @param bindAddress the address to listen on ({@code 127.0.0.1}; {@code 0.0.0.0} for every one)
 * @param port the port (0 picks a free one; see {@code Platform.consoleUri()})
 * @param basePath the path prefix under which a reverse proxy forwards the console, {@code ""} or
 *     {@code /segment[/segment...]}
 * @param tls serves HTTPS with this context when present; session cookies are then {@code Secure}
 * @param authenticator who checks passwords and API tokens: the platform's built-in users when
 *     empty, or the host's own (LDAP, OIDC behind a proxy...)
 * @param sessionIdleTimeout a session ends after this long without a request
 * @param sessionMaxAge a session ends this long after its login whatever happens
 * @param loginFailures failed logins allowed per user name, and five times as many per address,
 *     within {@code loginWindow}; more are refused with HTTP 429 until the window has passed
 * @param loginWindow see {@code loginFailures}
 * @param threads the threads serving requests
 * @param maxBodyBytes the largest request body other than an upload
 * @param maxUploadBytes the largest resource upload
 * @param publicUri the address users reach the console at, for links in messages (alerts), when it
 *     differs from the bound one (a proxy)
 */
public record ConsoleSettings(
    String bindAddress,
    int port,
    String basePath,
    Optional<SSLContext> tls,
    Optional<Authenticator> authenticator,
    Duration sessionIdleTimeout,
    Duration sessionMaxAge,
    int loginFailures,
    Duration loginWindow,
    int threads,
    long maxBodyBytes,
    long maxUploadBytes,
    Optional<URI> publicUri) {

  private static final Pattern BASE_PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)*");

  public ConsoleSettings {
    requireNonNull(bindAddress, "bindAddress is null");
    requireNonNull(basePath, "basePath is null");
    requireNonNull(tls, "tls is null");
    requireNonNull(authenticator, "authenticator is null");
    requireNonNull(publicUri, "publicUri is null");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("console port must be 0..65535, not " + port);
    }
    if (!BASE_PATH.matcher(basePath).matches()) {
      throw new IllegalArgumentException(
          "console basePath must be \"\" or /segment[/segment...] (letters, digits, . _ ~ -),"
              + " not "
              + basePath);
    }
    positive(sessionIdleTimeout, "sessionIdleTimeout");
    positive(sessionMaxAge, "sessionMaxAge");
    positive(loginWindow, "loginWindow");
    if (loginFailures < 1 || threads < 1 || threads > 256) {
      throw new IllegalArgumentException(
          "console loginFailures must be >= 1 and threads 1..256, not "
              + loginFailures
              + " and "
              + threads);
    }
    if (maxBodyBytes < 1024 || maxUploadBytes < maxBodyBytes) {
      throw new IllegalArgumentException(
          "console maxBodyBytes must be >= 1024 and maxUploadBytes >= maxBodyBytes");
    }
  }

  private static void positive(Duration d, String name) {
    requireNonNull(d, name + " is null");
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("console " + name + " must be positive, not " + d);
    }
  }

  /** A builder with every option at its default. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String toString() {
    return "console{"
        + (tls.isPresent() ? "https://" : "http://")
        + bindAddress
        + ":"
        + port
        + basePath
        + "/, authenticator="
        + (authenticator.isPresent() ? "host" : "built-in")
        + "}";
  }

  /** Builds {@link ConsoleSettings}; see its components for each option. */
  public static final class Builder {
    private String bindAddress = "127.0.0.1";
    private int port = 8080;
    private String basePath = "";
    private SSLContext tls;
    private Authenticator authenticator;
    private Duration sessionIdleTimeout = Duration.ofMinutes(30);
    private Duration sessionMaxAge = Duration.ofHours(12);
    private int loginFailures = 5;
    private Duration loginWindow = Duration.ofMinutes(5);
    private int threads = 8;
    private long maxBodyBytes = 1L << 20;
    private long maxUploadBytes = 512L << 20;
    private URI publicUri;

    private Builder() {}

    /** The address to listen on (default {@code 127.0.0.1}). */
    public Builder bindAddress(String bindAddress) {
      this.bindAddress = requireNonNull(bindAddress, "bindAddress is null");
      return this;
    }

    /** The port (default 8080; 0 picks a free one). */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** The path prefix behind a reverse proxy (default none), e.g. {@code /platform}. */
    public Builder basePath(String basePath) {
      this.basePath = requireNonNull(basePath, "basePath is null");
      return this;
    }

    /** Serves HTTPS with this context (default plain HTTP). */
    public Builder tls(SSLContext tls) {
      this.tls = requireNonNull(tls, "tls is null");
      return this;
    }

    /** Checks passwords and tokens with the host's own authenticator (default built-in users). */
    public Builder authenticator(Authenticator authenticator) {
      this.authenticator = requireNonNull(authenticator, "authenticator is null");
      return this;
    }

    /** A session ends after this long without a request (default 30 minutes). */
    public Builder sessionIdleTimeout(Duration timeout) {
      this.sessionIdleTimeout = timeout;
      return this;
    }

    /** A session ends this long after its login (default 12 hours). */
    public Builder sessionMaxAge(Duration maxAge) {
      this.sessionMaxAge = maxAge;
      return this;
    }

    /** Failed logins allowed per user name within the window (default 5 per 5 minutes). */
    public Builder loginFailures(int failures, Duration window) {
      this.loginFailures = failures;
      this.loginWindow = window;
      return this;
    }

    /** The threads serving requests (default 8). */
    public Builder threads(int threads) {
      this.threads = threads;
      return this;
    }

    /** The largest request body other than an upload (default 1 MiB). */
    public Builder maxBodyBytes(long bytes) {
      this.maxBodyBytes = bytes;
      return this;
    }

    /** The largest resource upload (default 512 MiB). */
    public Builder maxUploadBytes(long bytes) {
      this.maxUploadBytes = bytes;
      return this;
    }

    /** The address users reach the console at, for links, when a proxy is in front. */
    public Builder publicUri(URI publicUri) {
      this.publicUri = requireNonNull(publicUri, "publicUri is null");
      return this;
    }

    public ConsoleSettings build() {
      return new ConsoleSettings(
          bindAddress,
          port,
          basePath,
          Optional.ofNullable(tls),
          Optional.ofNullable(authenticator),
          sessionIdleTimeout,
          sessionMaxAge,
          loginFailures,
          loginWindow,
          threads,
          maxBodyBytes,
          maxUploadBytes,
          Optional.ofNullable(publicUri));
    }
  }
}
