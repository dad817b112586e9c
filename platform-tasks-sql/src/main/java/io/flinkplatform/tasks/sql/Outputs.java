package io.flinkplatform.tasks.sql;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outputs of a successful {@code sql} attempt: the total update count and, if a statement
 * returned rows, the first rows of the last such result. Bounded so they fit the platform's outputs
 * column.
 */
final class Outputs {
  static final String UPDATE_COUNT = "updateCount";
  static final String ROW_COUNT = "rowCount";
  static final String TRUNCATED = "truncated";
  static final String ROWS = "rows";

  /** The {@code rows} JSON stops growing at this size. */
  static final int MAX_ROWS_JSON_CHARS = 16_000;

  private Outputs() {}

  static Map<String, String> of(long updateCount, ResultTable last, int outputRows) {
    Map<String, String> outputs = new LinkedHashMap<>();
    outputs.put(UPDATE_COUNT, Long.toString(updateCount));
    if (last == null) {
      return outputs;
    }
    outputs.put(ROW_COUNT, Integer.toString(last.rows().size()));
    outputs.put(TRUNCATED, Boolean.toString(last.truncated()));
    if (outputRows == 0) {
      return outputs;
    }
    outputs.put(ROWS, json(last, outputRows));
    if (!last.rows().isEmpty()) {
      List<String> first = last.rows().get(0);
      for (int c = 0; c < last.columns().size(); c++) {
        outputs.put(last.columns().get(c), first.get(c) == null ? "" : first.get(c));
      }
    }
    return outputs;
  }

  /** The first {@code max} rows as a JSON array of objects, column label to string or null. */
  static String json(ResultTable table, int max) {
    StringBuilder out = new StringBuilder("[");
    int count = Math.min(max, table.rows().size());
    for (int r = 0; r < count; r++) {
      StringBuilder row = new StringBuilder(r == 0 ? "{" : ",{");
      List<String> values = table.rows().get(r);
      for (int c = 0; c < table.columns().size(); c++) {
        if (c > 0) {
          row.append(',');
        }
        string(row, table.columns().get(c)).append(':');
        if (values.get(c) == null) {
          row.append("null");
        } else {
          string(row, values.get(c));
        }
      }
      row.append('}');
      if (out.length() + row.length() + 1 > MAX_ROWS_JSON_CHARS) {
        break;
      }
      out.append(row);
    }
    return out.append(']').toString();
  }

  private static StringBuilder string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"');
  }
}
