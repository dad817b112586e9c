package io.flinkplatform.engine.internal.common;

import io.flinkplatform.spi.Redaction;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A copy of an exception from outside (a JDBC driver's) that is safe to chain: the same class name,
 * message run through a redaction, and stack trace, with its causes and suppressed exceptions
 * copied the same way. Drivers put the URL they were given, passwords included, into their messages
 * (Connector/J: "Malformed database URL … near '(password=…'"), and a chained original would print
 * them in every stack trace.
 */
public final class RedactedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String className;

  private RedactedException(String className, String message) {
    super(message); // the cause is set by copy(), once copied
    this.className = className;
  }

  /** {@code t} and its causes copied with {@code redact} applied to every message. */
  public static RedactedException of(Throwable t, UnaryOperator<String> redact) {
    return copy(t, redact, new IdentityHashMap<>());
  }

  private static RedactedException copy(
      Throwable t, UnaryOperator<String> redact, Map<Throwable, RedactedException> seen) {
    RedactedException done = seen.get(t);
    if (done != null) {
      return done; // a cycle: the JDK prints it once too
    }
    String message = t.getMessage() == null ? null : redact.apply(t.getMessage());
    RedactedException copy = new RedactedException(t.getClass().getName(), message);
    seen.put(t, copy);
    copy.setStackTrace(t.getStackTrace());
    if (t.getCause() != null && t.getCause() != t) {
      copy.initCause(copy(t.getCause(), redact, seen));
    }
    for (Throwable s : t.getSuppressed()) {
      copy.addSuppressed(copy(s, redact, seen));
    }
    return copy;
  }

  /** The name of the class the original was. */
  String className() {
    return className;
  }

  @Override
  public String toString() {
    String message = getLocalizedMessage();
    return message == null ? className : className + ": " + message;
  }

  /** {@link Redaction#url} plus every occurrence of {@code secret} (if not empty) masked. */
  public static UnaryOperator<String> masking(String secret) {
    return text -> {
      String shown = Redaction.url(text);
      return secret == null || secret.isEmpty() ? shown : shown.replace(secret, Redaction.MASK);
    };
  }
}
