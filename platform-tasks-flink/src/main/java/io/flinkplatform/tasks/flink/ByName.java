package io.flinkplatform.tasks.flink;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Picks the named entries of a table read whole, failing with the names it does not have. */
final class ByName {
  private ByName() {}

  /**
   * The entries of {@code all} named {@code names}, in that order.
   *
   * @throws FlinkTaskException naming the missing names and the names {@code table} has
   */
  static <T> List<T> pick(
      List<String> names, List<T> all, Function<T, String> name, String what, String table) {
    return pick(names, all, name, what, table, false);
  }

  /**
   * {@link #pick(List, List, Function, String, String)}; with {@code hide}, the failure does not
   * list the names {@code table} has (another workspace's names are not the caller's to see).
   */
  static <T> List<T> pick(
      List<String> names,
      List<T> all,
      Function<T, String> name,
      String what,
      String table,
      boolean hide) {
    List<T> out = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String n : names) {
      all.stream()
          .filter(x -> name.apply(x).equals(n))
          .findFirst()
          .ifPresentOrElse(out::add, () -> missing.add(n));
    }
    if (!missing.isEmpty()) {
      throw new FlinkTaskException(
          "unknown "
              + what
              + (missing.size() > 1 ? "s " : " ")
              + missing
              + (hide ? " in " + table : "; " + table + " has " + all.stream().map(name).toList()));
    }
    return out;
  }
}
