package io.flinkplatform.engine.internal.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.flinkplatform.engine.access.Authenticator;
import io.flinkplatform.engine.console.ConsoleSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the console on the JDK's HTTP(S) server: {@code /assets/...} from the jar, {@code
 * /api/v1/...} through {@link Routes} as the authenticated caller, every other path through {@link
 * Pages}. Bound when built (so a taken port fails the platform's start), serving once {@link #start
 * started}.
 */
public final class ConsoleServer {
  private static final Logger LOG = LoggerFactory.getLogger(ConsoleServer.class);
  private final ConsoleSettings settings;
  private final ConsoleBackend backend;
  private final HttpServer server;
  private final ExecutorService threads;
  private final Sessions sessions;
  private final Authn authn;
  private final Routes routes;
  private final Pages pages;

  private ConsoleServer(
      ConsoleSettings settings,
      ConsoleBackend backend,
      HttpServer server,
      ExecutorService threads) {
    this.settings = settings;
    this.backend = backend;
    this.server = server;
    this.threads = threads;
    this.sessions = new Sessions(backend.database(), settings, backend.clock());
    Authenticator authenticator =
        settings
            .authenticator()
            .orElseGet(
                () ->
                    new Authenticator() { // the built-in one, asked once the platform runs
                      @Override
                      public Optional<io.flinkplatform.spi.Actor> password(
                          String user, char[] password) {
                        return backend.authenticator().password(user, password);
                      }

                      @Override
                      public Optional<io.flinkplatform.spi.Actor> token(String presented) {
                        return backend.authenticator().token(presented);
                      }
                    });
    this.authn = new Authn(sessions, authenticator);
    this.routes = new Routes();
    LoginLimiter limiter =
        new LoginLimiter(backend.clock(), settings.loginFailures(), settings.loginWindow());
    new SessionRoutes(sessions, limiter, authenticator, settings).register(routes);
    ApiRoutes.register(routes, settings);
    PluginRoutes plugins = new PluginRoutes();
    plugins.register(routes, backend.pluginOperations(), backend.access());
    new OpenApi(routes, settings).register(routes);
    PageRouter router = PageRouter.create(routes, backend, settings);
    PluginPage.register(router, plugins, backend.access());
    this.pages = router;
  }

  /**
   * Binds the address (failing if it is taken); call {@link #start} to serve. A request whose
   * headers do not arrive within 30 s is dropped (the JDK server's {@code
   * sun.net.httpserver.maxReqTime}, set here unless the host set it), so slow clients cannot hold
   * the threads; for an exposed console put a reverse proxy in front (docs/console.md).
   */
  public static ConsoleServer bind(ConsoleSettings settings, ConsoleBackend backend) {
    if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
      System.setProperty("sun.net.httpserver.maxReqTime", "30");
    }
    HttpServer server;
    try {
      InetSocketAddress address = new InetSocketAddress(settings.bindAddress(), settings.port());
      if (settings.tls().isPresent()) {
        HttpsServer https = HttpsServer.create(address, 64);
        https.setHttpsConfigurator(new HttpsConfigurator(settings.tls().get()));
        server = https;
      } else {
        server = HttpServer.create(address, 64);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "the console cannot listen on "
              + settings.bindAddress()
              + ":"
              + settings.port()
              + ": "
              + e.getMessage(),
          e);
    }
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor threads =
        new ThreadPoolExecutor(
            settings.threads(),
            settings.threads(),
            60,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(1000),
            r -> {
              Thread t = new Thread(r, backend.instanceName() + "-console-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    threads.allowCoreThreadTimeOut(true);
    server.setExecutor(threads);
    ConsoleServer console;
    try {
      console = new ConsoleServer(settings, backend, server, threads);
    } catch (RuntimeException e) {
      server.stop(0);
      threads.shutdownNow();
      throw e;
    }
    server.createContext(
        settings.basePath().isEmpty() ? "/" : settings.basePath(), console::handle);
    return console;
  }

  public void start() {
    server.start();
    try {
      sessions.purge();
    } catch (RuntimeException e) {
      LOG.warn("could not delete ended console sessions", e);
    }
    LOG.info("[{}] console at {}", backend.instanceName(), uri());
  }

  /** Stops answering (requests under way get a second to finish). */
  public void stop() {
    server.stop(1);
    threads.shutdownNow();
  }

  /** The address the console answers at. */
  public URI uri() {
    InetSocketAddress a = server.getAddress();
    String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getHostString();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create(
        (settings.tls().isPresent() ? "https" : "http")
            + "://"
            + host
            + ":"
            + a.getPort()
            + settings.basePath()
            + "/");
  }

  /** The API's routes (for the pages and the tests). */
  public Routes routes() {
    return routes;
  }

  private void handle(HttpExchange http) {
    try {
      String raw = http.getRequestURI().getRawPath();
      String base = settings.basePath();
      if (!raw.equals(base) && !raw.startsWith(base + "/")) {
        http.sendResponseHeaders(404, -1);
        return;
      }
      String path = raw.substring(base.length());
      if (path.isEmpty()) {
        path = "/";
      }
      Exchange ex = new Exchange(http, path, base, settings.tls().isPresent());
      try {
        if (path.startsWith("/assets/")) {
          if (!Assets.serve(ex, path.substring(7))) {
            ex.json(404, ApiErrors.error(404, "NotFound", "no such asset: " + path).body());
          }
        } else if (path.equals(Routes.PREFIX) || path.startsWith(Routes.PREFIX + "/")) {
          api(ex, path.substring(Routes.PREFIX.length()));
        } else {
          pages.serve(ex, authn.identify(ex).principal());
        }
      } catch (Exchange.TooLargeException | io.flinkplatform.engine.InvalidRequestException e) {
        reply(ex, ApiErrors.of(e)); // a body too large, a malformed path or query
      }
    } catch (Throwable t) {
      LOG.warn("console request {} failed", http.getRequestURI().getRawPath(), t);
      try {
        http.sendResponseHeaders(500, -1);
      } catch (IOException | RuntimeException ignored) {
        // the answer had begun; the connection closes below
      }
    } finally {
      http.close();
    }
  }

  private void api(Exchange ex, String path) throws IOException {
    Optional<Routes.Match> match = routes.match(ex.method(), path);
    if (match.isEmpty()) {
      boolean other = routes.pathExists(path);
      reply(
          ex,
          ApiErrors.error(
              other ? 405 : 404,
              other ? "MethodNotAllowed" : "NotFound",
              (other ? "no " + ex.method() + " on " : "no such route: ") + Routes.PREFIX + path));
      return;
    }
    Route route = match.get().route();
    Authn.Result who = authn.identify(ex);
    Principal p = who.principal();
    if (p == null && !route.open()) {
      reply(
          ex,
          ApiErrors.error(
              401,
              "Unauthenticated",
              who.failure() == Authn.Failure.BAD_TOKEN
                  ? "the API token is not valid (malformed, unknown, expired or revoked)"
                  : "log in, or send an API token as Authorization: Bearer <token>"));
      return;
    }
    if (p != null && route.mutating() && !Authn.csrfOk(ex, p)) {
      reply(
          ex,
          ApiErrors.error(
              403,
              "CsrfRejected",
              "a state-changing request of a browser session must come from the console and"
                  + " carry its "
                  + Authn.CSRF_HEADER
                  + " header"));
      return;
    }
    long maxBody = settings.maxBodyBytes();
    Call call = new Call(ex, p, match.get().params(), backend, maxBody);
    Object out;
    try {
      out = route.handler().handle(call);
    } catch (Exchange.TooLargeException e) {
      throw e;
    } catch (Throwable t) {
      if (t instanceof Error && !(t instanceof AssertionError)) {
        LOG.error("console call {} {} failed", ex.method(), path, t);
      }
      reply(ex, ApiErrors.of(t));
      return;
    }
    if (out == null) {
      ex.send(204, null, null);
    } else if (out instanceof Route.Reply r) {
      reply(ex, r);
    } else if (out instanceof Route.Stream st) {
      ex.header(
          "Content-Disposition",
          "attachment; filename=\"" + st.fileName().replaceAll("[^A-Za-z0-9._-]", "_") + "\"");
      ex.stream(200, st.contentType(), st.content());
    } else if (out instanceof Route.Download d) {
      ex.header(
          "Content-Disposition",
          "attachment; filename=\"" + d.fileName().replaceAll("[^A-Za-z0-9._-]", "_") + "\"");
      ex.send(200, d.contentType(), d.content());
    } else {
      ex.json(200, out);
    }
  }

  private static void reply(Exchange ex, Route.Reply r) throws IOException {
    if (r.status() == 429 && r.body() instanceof java.util.Map<?, ?> m) {
      Object after = m.get("retryAfterSeconds");
      if (after != null) {
        ex.header("Retry-After", after.toString());
      }
    }
    ex.json(r.status(), r.body());
  }
}
