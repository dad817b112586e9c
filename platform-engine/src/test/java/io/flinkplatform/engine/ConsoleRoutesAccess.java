package io.flinkplatform.engine;

import io.flinkplatform.engine.internal.console.Route;
import java.util.List;

/** The routes a platform's console serves, for tests. */
public final class ConsoleRoutesAccess {
  private ConsoleRoutesAccess() {}

  public static List<Route> routes(Platform platform) {
    return platform.engine().console().orElseThrow().routes().all();
  }
}
