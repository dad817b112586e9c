package io.flinkplatform.tasks.shell;

import static java.util.Objects.requireNonNull;

import io.flinkplatform.spi.Cancellation;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP(S) download of a resource into a file: {@code GET}, at most {@link #MAX_REDIRECTS}
 * redirects and only to the scheme of the URL given, at most {@code maxBytes} bytes, within a
 * timeout, stopped by a cancellation. A failed download leaves no file behind.
 */
final class ResourceDownload {
  /** The most redirects followed. */
  static final int MAX_REDIRECTS = 5;

  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(30))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  private final Cancellation cancellation;
  private final long maxBytes;

  ResourceDownload(Cancellation cancellation, long maxBytes) {
    this.cancellation = requireNonNull(cancellation, "cancellation is null");
    this.maxBytes = maxBytes;
  }

  /** Downloads {@code uri} into {@code target}, replacing a file (or link) there. */
  void download(URI uri, Path target, Duration timeout) throws IOException, InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    URI current = uri;
    try {
      for (int redirects = 0; ; redirects++) {
        Files.deleteIfExists(target); // a link is deleted, never written through
        HttpResponse<Path> response = get(current, target, end, timeout);
        int status = response.statusCode();
        if (status / 100 == 2) {
          return;
        }
        String location = response.headers().firstValue("location").orElse(null);
        if (!REDIRECTS.contains(status) || location == null) {
          throw new IOException("HTTP status " + status);
        }
        if (redirects == MAX_REDIRECTS) {
          throw new IOException("more than " + MAX_REDIRECTS + " redirects");
        }
        URI next = resolve(current, location);
        if (next.getScheme() == null || !scheme.equalsIgnoreCase(next.getScheme())) {
          throw new IOException(
              "a redirect leads from "
                  + scheme
                  + " to "
                  + (next.getScheme() == null ? "no scheme" : next.getScheme())
                  + "; redirects must keep the scheme");
        }
        current = next;
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      try {
        Files.deleteIfExists(target);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private HttpResponse<Path> get(URI uri, Path target, long end, Duration timeout)
      throws IOException, InterruptedException {
    Duration left = Duration.ofNanos(Math.max(1_000_000, end - System.nanoTime()));
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(left).GET().build();
    CompletableFuture<HttpResponse<Path>> response =
        HTTP.sendAsync(
            request,
            info ->
                info.statusCode() / 100 == 2
                    ? new Capped(
                        BodySubscribers.ofFile(
                            target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                        maxBytes,
                        info.headers().firstValueAsLong("content-length").orElse(-1))
                    : BodySubscribers.replacing(null));
    try {
      while (true) {
        if (cancellation.isCancelled()) {
          response.cancel(true);
          throw new InterruptedException("cancelled while downloading");
        }
        try {
          return response.get(50, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          if (System.nanoTime() - end > 0) {
            response.cancel(true);
            throw new IOException("the download took longer than " + timeout);
          }
        }
      }
    } catch (ExecutionException e) {
      for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
        if (cause instanceof TooLarge tooLarge) {
          throw new IOException(tooLarge.getMessage(), e.getCause());
        }
      }
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof InterruptedIOException) {
        throw new IOException("the download timed out", cause);
      }
      throw new IOException(cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
    } catch (InterruptedException e) {
      response.cancel(true);
      throw e;
    }
  }

  private static URI resolve(URI base, String location) throws IOException {
    try {
      return base.resolve(location);
    } catch (IllegalArgumentException e) {
      throw new IOException("a redirect to an invalid location", e);
    }
  }

  /** The body is larger than allowed. */
  private static final class TooLarge extends IOException {
    TooLarge(long maxBytes) {
      super(
          "the download is larger than "
              + ByteSize.format(maxBytes)
              + ", the most the plugin setting shell.maxDownloadSize allows");
    }
  }

  /** Passes the body on to a file until it passes the cap, then cancels and fails. */
  private static final class Capped implements BodySubscriber<Path> {
    private final BodySubscriber<Path> file;
    private final long maxBytes;
    private final long declaredLength;
    private Flow.Subscription subscription;
    private long received;
    private boolean failed;

    Capped(BodySubscriber<Path> file, long maxBytes, long declaredLength) {
      this.file = file;
      this.maxBytes = maxBytes;
      this.declaredLength = declaredLength;
    }

    @Override
    public CompletionStage<Path> getBody() {
      return file.getBody();
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      file.onSubscribe(subscription);
      if (declaredLength > maxBytes) {
        fail();
      }
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (failed) {
        return;
      }
      for (ByteBuffer item : items) {
        received += item.remaining();
      }
      if (received > maxBytes) {
        fail();
      } else {
        file.onNext(items);
      }
    }

    @Override
    public void onError(Throwable throwable) {
      if (!failed) {
        file.onError(throwable);
      }
    }

    @Override
    public void onComplete() {
      if (!failed) {
        file.onComplete();
      }
    }

    private void fail() {
      failed = true;
      subscription.cancel();
      file.onError(new TooLarge(maxBytes));
    }
  }
}
