package io.flinkplatform.engine.internal.console;

import io.flinkplatform.engine.CapExceededException;
import io.flinkplatform.engine.ConflictException;
import io.flinkplatform.engine.InvalidRequestException;
import io.flinkplatform.engine.NotFoundException;
import io.flinkplatform.engine.PlatformException;
import io.flinkplatform.engine.RunNotFinishedException;
import io.flinkplatform.engine.StoreException;
import io.flinkplatform.engine.WorkflowValidationException;
import io.flinkplatform.spi.AccessDeniedException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Errors as JSON with the Java API's names and fields: {@code {"error": "AccessDeniedException",
 * "message": ..., "actor": ..., "workspace": ..., "action": ..., "needed": ...}}: the exception's
 * simple name, its message and the values of its public accessors. An unexpected failure answers
 * 500 with an id that the log shows next to the stack trace, and nothing else.
 */
public final class ApiErrors {
  private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

  private ApiErrors() {}

  /** The status and body for {@code e}. */
  public static Route.Reply of(Throwable e) {
    int status = status(e);
    if (status == 500) {
      String id = UUID.randomUUID().toString();
      LOG.error("console call failed (error id {})", id, e);
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("error", "InternalError");
      body.put("message", "the call failed; the server's log has error id " + id);
      body.put("id", id);
      return new Route.Reply(500, body);
    }
    return new Route.Reply(status, body(e));
  }

  /** A console-made error: {@code {"error": name, "message": message, ...fields}}. */
  public static Route.Reply error(int status, String name, String message, Object... fields) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", name);
    body.put("message", message);
    for (int i = 0; i + 1 < fields.length; i += 2) {
      body.put((String) fields[i], fields[i + 1]);
    }
    return new Route.Reply(status, body);
  }

  static int status(Throwable e) {
    if (e instanceof AccessDeniedException) {
      return 403;
    }
    if (e instanceof NotFoundException) {
      return 404;
    }
    if (e instanceof CapExceededException
        || e instanceof ConflictException
        || e instanceof RunNotFinishedException) {
      return 409;
    }
    if (e instanceof InvalidRequestException || e instanceof WorkflowValidationException) {
      return 400;
    }
    if (e instanceof Exchange.TooLargeException) {
      return 413;
    }
    if (e instanceof StoreException) {
      return 503;
    }
    if (e instanceof PlatformException && e.getClass().getSimpleName().endsWith("InUseException")) {
      return 409;
    }
    return 500;
  }

  /** {@code {"error": simple name, "message", ...public accessor values}} of {@code e}. */
  static Map<String, Object> body(Throwable e) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", e.getClass().getSimpleName());
    body.put("message", e.getMessage());
    for (Class<?> c = e.getClass();
        c != null && c != RuntimeException.class && c != Exception.class;
        c = c.getSuperclass()) {
      for (Method m : c.getDeclaredMethods()) {
        if (Modifier.isPublic(m.getModifiers())
            && !Modifier.isStatic(m.getModifiers())
            && m.getParameterCount() == 0
            && m.getReturnType() != void.class
            && !body.containsKey(m.getName())
            && !m.getName().startsWith("get")) {
          try {
            Object v = m.invoke(e);
            body.put(m.getName(), v instanceof Optional<?> o ? o.orElse(null) : v);
          } catch (ReflectiveOperationException ignored) {
            // not a field worth showing
          }
        }
      }
    }
    return body;
  }
}
