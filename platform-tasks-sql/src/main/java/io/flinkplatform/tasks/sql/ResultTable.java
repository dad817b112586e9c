package io.flinkplatform.tasks.sql;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

/**
 * The first rows of one query result, as text: at most a row limit of them, each value cut at
 * {@link #MAX_VALUE_CHARS}. Character and binary values are read as streams up to that length, so a
 * huge value is not copied whole into a string first. Binary values are shown in hex ({@code
 * 0x...}); SQL NULL is {@code null}.
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
    boolean[] text = new boolean[n];
    for (int c = 1; c <= n; c++) {
      columns.add(meta.getColumnLabel(c));
      int type = meta.getColumnType(c);
      binary[c - 1] =
          type == Types.BINARY
              || type == Types.VARBINARY
              || type == Types.LONGVARBINARY
              || type == Types.BLOB;
      text[c - 1] =
          type == Types.CHAR
              || type == Types.VARCHAR
              || type == Types.LONGVARCHAR
              || type == Types.CLOB
              || type == Types.NCHAR
              || type == Types.NVARCHAR
              || type == Types.LONGNVARCHAR
              || type == Types.NCLOB;
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
        row.add(binary[c - 1] ? hex(rs, c) : text[c - 1] ? chars(rs, c) : cut(rs.getString(c)));
      }
      rows.add(Collections.unmodifiableList(row));
    }
    return new ResultTable(columns, rows, truncated);
  }

  /**
   * A binary value in hex, reading no more bytes than are shown: a large value is never copied
   * whole into the heap.
   */
  private static String hex(ResultSet rs, int column) throws SQLException {
    InputStream stream;
    try {
      stream = rs.getBinaryStream(column);
    } catch (SQLFeatureNotSupportedException | UnsupportedOperationException e) {
      // drivers without streams (ClickHouse's legacy driver, Hive's) hand the whole value
      byte[] whole = rs.getBytes(column);
      return whole == null
          ? null
          : cut(
              "0x"
                  + HexFormat.of()
                      .formatHex(whole, 0, Math.min(whole.length, MAX_VALUE_CHARS / 2 + 1)));
    }
    try (InputStream in = stream) {
      if (in == null) {
        return null;
      }
      byte[] head = in.readNBytes(MAX_VALUE_CHARS / 2 + 1);
      return cut("0x" + HexFormat.of().formatHex(head));
    } catch (IOException e) {
      throw new SQLException("cannot read column " + column + ": " + e.getMessage(), e);
    }
  }

  /** A character value, reading no more characters than are shown. */
  private static String chars(ResultSet rs, int column) throws SQLException {
    Reader stream;
    try {
      stream = rs.getCharacterStream(column);
    } catch (SQLFeatureNotSupportedException | UnsupportedOperationException e) {
      // drivers without streams (ClickHouse's legacy driver, Hive's) hand the whole value
      return cut(rs.getString(column));
    }
    try (Reader in = stream) {
      if (in == null) {
        return null;
      }
      char[] head = new char[MAX_VALUE_CHARS + 1];
      int read = 0;
      for (int r; read < head.length && (r = in.read(head, read, head.length - read)) > 0; ) {
        read += r;
      }
      return cut(new String(head, 0, read));
    } catch (IOException e) {
      throw new SQLException("cannot read column " + column + ": " + e.getMessage(), e);
    }
  }

  /** The value cut to {@link #MAX_VALUE_CHARS}, never between the two halves of a character. */
  private static String cut(String value) {
    return value == null || value.length() <= MAX_VALUE_CHARS
        ? value
        : SqlStatement.prefix(value, MAX_VALUE_CHARS) + "…";
  }
}
