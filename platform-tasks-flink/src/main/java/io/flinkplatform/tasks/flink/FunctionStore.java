package io.flinkplatform.tasks.flink;

import io.flinkplatform.spi.Jdbc;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** The {@code t_flink_function} table: the user-defined functions {@code flink_sql} tasks name. */
final class FunctionStore {
  private final Jdbc jdbc;
  private final Clock clock;

  FunctionStore(Jdbc jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  void put(FunctionInfo function) {
    long now = clock.millis();
    jdbc.update(
        "store function " + function.name(),
        "INSERT INTO t_flink_function (name, class_name, jar_uri, created_at,"
            + " updated_at) VALUES (?,?,?,?,?) ON DUPLICATE KEY UPDATE"
            + " class_name = VALUES(class_name), jar_uri = VALUES(jar_uri),"
            + " updated_at = VALUES(updated_at)",
        s -> {
          s.setString(1, function.name());
          s.setString(2, function.className());
          s.setString(3, function.jarUri().orElse(null));
          s.setLong(4, now);
          s.setLong(5, now);
        });
  }

  /** The named functions, in the order asked; throws naming the ones that do not exist. */
  List<FunctionInfo> named(List<String> names) {
    List<FunctionInfo> all =
        jdbc.query(
            "read functions",
            "SELECT name, class_name, jar_uri FROM t_flink_function ORDER BY name",
            Jdbc.none(),
            r ->
                new FunctionInfo(
                    r.getString(1), r.getString(2), Optional.ofNullable(r.getString(3))));
    return ByName.pick(names, all, FunctionInfo::name, "function", "t_flink_function");
  }
}
