package io.flinkplatform.engine.internal.console;

import io.flinkplatform.engine.console.ConsoleSettings;
import java.io.IOException;

/** Makes the console's {@link Pages}. */
final class ConsolePages {
  private ConsolePages() {}

  static Pages create(Routes routes, ConsoleBackend backend, ConsoleSettings settings) {
    return new Pages() {
      @Override
      public void serve(Exchange ex, Principal who) throws IOException {
        ex.html(
            200,
            "<!doctype html><html><head><title>flink-platform</title></head><body>"
                + (who == null ? "<p>not logged in</p>" : "<p>console</p>")
                + "</body></html>");
      }
    };
  }
}
