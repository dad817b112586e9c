package io.flinkplatform.engine.testing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.function.Consumer;
import javax.sql.DataSource;

/** A data source whose connections tell {@code seen} the text of every statement they prepare. */
public final class PreparedSql {
  private PreparedSql() {}

  public static DataSource observed(DataSource real, Consumer<String> seen) {
    return proxy(
        DataSource.class,
        real,
        (method, args) -> {
          Object result = invoke(method, real, args);
          return result instanceof Connection c
              ? proxy(
                  Connection.class,
                  c,
                  (m, a) -> {
                    if (m.getName().startsWith("prepare")
                        && a != null
                        && a.length > 0
                        && a[0] instanceof String sql) {
                      seen.accept(sql);
                    }
                    return invoke(m, c, a);
                  })
              : result;
        });
  }

  private interface Call {
    Object on(Method method, Object[] args) throws Throwable;
  }

  private static <T> T proxy(Class<T> type, T real, Call call) {
    return type.cast(
        Proxy.newProxyInstance(
            PreparedSql.class.getClassLoader(),
            new Class<?>[] {type},
            (p, method, args) -> call.on(method, args)));
  }

  private static Object invoke(Method m, Object target, Object[] args) throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
