package io.flinkplatform.engine.dag;

import static java.util.Objects.requireNonNull;

/**
 * A dependency: {@code to} may start once {@code from} ended with an outcome matching {@code on}.
 */
public record Edge(String from, String to, EdgeCondition on) {
  public Edge {
    requireNonNull(from, "from is null");
    requireNonNull(to, "to is null");
    requireNonNull(on, "on is null");
  }
}
