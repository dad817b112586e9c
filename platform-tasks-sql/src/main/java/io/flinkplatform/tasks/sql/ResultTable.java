package io.flinkplatform.tasks.sql;

import static java.util.Objects.requireNonNull;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

/**
 * The first rows of one query result, as text: at most a row limit of them, each value cut at
 * {@link #MAX_VALUE_CHARS}. Binary values are shown in hex ({@code 0x...}); SQL NULL is {@code
 * null}.
 *
 * @param columns the column labels
 * @param rows the rows read
 * @param truncated whether the result had more rows than were read
 */
record ResultTable(List<String> columns, List<List<String>> rows, boolean truncated) {
  static final int MAX_VALUE_CHARS = 1000;

  ResultTable {
    columns = List.copyOf(requireNonNull(columns, "columns is null"));
    rows = Collections.unmodifiableList(new ArrayList<>(requireNonNull(rows, "rows is null")));
  }

  /** Reads up to {@code limit} rows, and one more to learn whether there were more. */
  static ResultTable read(ResultSet rs, int limit) throws SQLException {
    ResultSetMetaData meta = rs.getMetaData();
    int n = meta.getColumnCount();
    List<String> columns = new ArrayList<>(n);
    boolean[] binary = new boolean[n];
    for (int c = 1; c <= n; c++) {
      columns.add(meta.getColumnLabel(c));
      int type = meta.getColumnType(c);
      binary[c - 1] =
          type == Types.BINARY
              || type == Types.VARBINARY
              || type == Types.LONGVARBINARY
              || type == Types.BLOB;
    }
    List<List<String>> rows = new ArrayList<>();
    boolean truncated = false;
    while (rs.next()) {
      if (rows.size() == limit) {
        truncated = true;
        break;
      }
      List<String> row = new ArrayList<>(n);
      for (int c = 1; c <= n; c++) {
        row.add(cut(binary[c - 1] ? hex(rs.getBytes(c)) : rs.getString(c)));
      }
      rows.add(Collections.unmodifiableList(row));
    }
    return new ResultTable(columns, rows, truncated);
  }

  private static String hex(byte[] bytes) {
    return bytes == null ? null : "0x" + HexFormat.of().formatHex(bytes);
  }

  private static String cut(String value) {
    return value == null || value.length() <= MAX_VALUE_CHARS
        ? value
        : value.substring(0, MAX_VALUE_CHARS) + "…";
  }
}
