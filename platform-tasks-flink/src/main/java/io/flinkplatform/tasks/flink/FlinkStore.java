package io.flinkplatform.tasks.flink;

import io.flinkplatform.spi.Redaction;
import io.flinkplatform.spi.Secrets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.type.TypeReference;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The plugin's tables in the platform database (plain JDBC; one statement per call, auto-commit).
 * {@code SQLException}s are wrapped once, here, naming what was being done. A class this size has a
 * reason: it is the plugin's whole persistence layer.
 */
final class FlinkStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JOB_COLUMNS =
      "attempt_id, generation, job_id, workflow_name, task_id, target, cluster, state, restarts,"
          + " last_checkpoint, restored_from, savepoint_dir, message, submitted_at, ended_at";
  private static final String SAVEPOINT_COLUMNS =
      "id, workflow_name, task_id, attempt_id, job_id, kind, path, created_at, disposed_at";

  private final DataSource db;
  private final Clock clock;
  private final Secrets secrets;

  FlinkStore(DataSource db, Clock clock) {
    this(db, clock, Secrets.none());
  }

  /** With the platform's cipher, which seals catalog options whose names look secret. */
  FlinkStore(DataSource db, Clock clock, Secrets secrets) {
    this.db = db;
    this.clock = clock;
    this.secrets = secrets;
  }

  @FunctionalInterface
  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T with(String what, Work<T> work) {
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(true);
      return work.run(c);
    } catch (SQLException e) {
      throw new FlinkTaskException("cannot " + what + ": " + e.getMessage(), e);
    }
  }

  // ---- jobs ----

  /**
   * Records a submission before it is sent. Returns false if the row exists already: another owner
   * of the attempt submitted this generation.
   */
  boolean insertJob(FlinkJobInfo job, long runId, long epoch) {
    return with(
        "record Flink job " + job.jobId() + " of attempt " + job.attemptId(),
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO t_flink_job (attempt_id, generation, job_id, workflow_name, task_id,"
                      + " run_id, target, cluster, epoch, state, restored_from, savepoint_dir,"
                      + " submitted_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            long now = clock.millis();
            s.setLong(1, job.attemptId());
            s.setInt(2, job.generation());
            s.setString(3, job.jobId());
            s.setString(4, job.workflowName());
            s.setString(5, job.taskId());
            s.setLong(6, runId);
            s.setString(7, job.target());
            s.setString(8, job.cluster());
            s.setLong(9, epoch);
            s.setString(10, job.state());
            s.setString(11, job.restoredFrom().orElse(null));
            s.setString(12, job.savepointDir().orElse(null));
            s.setLong(13, now);
            s.setLong(14, now);
            s.executeUpdate();
            return true;
          } catch (SQLIntegrityConstraintViolationException e) {
            return false;
          }
        });
  }

  /** The attempt's newest submission. */
  Optional<FlinkJobInfo> currentJob(long attemptId) {
    return with(
        "read the Flink job of attempt " + attemptId,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT "
                      + JOB_COLUMNS
                      + " FROM t_flink_job WHERE attempt_id = ? ORDER BY generation DESC LIMIT 1")) {
            s.setLong(1, attemptId);
            List<FlinkJobInfo> jobs = jobs(s);
            return jobs.stream().findFirst();
          }
        });
  }

  /** Every submission of a task, newest first. */
  List<FlinkJobInfo> jobs(String workflow, String taskId) {
    return with(
        "read the Flink jobs of " + workflow + "." + taskId,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT "
                      + JOB_COLUMNS
                      + " FROM t_flink_job WHERE workflow_name = ? AND task_id = ?"
                      + " ORDER BY submitted_at DESC, attempt_id DESC, generation DESC")) {
            s.setString(1, workflow);
            s.setString(2, taskId);
            return jobs(s);
          }
        });
  }

  /**
   * Writes what a poll saw, unless a newer owner of the attempt (a higher epoch) wrote already.
   *
   * @return false if the write was fenced off
   */
  boolean updateJob(
      long attemptId,
      int generation,
      long epoch,
      String state,
      long restarts,
      String lastCheckpoint,
      String message) {
    return with(
        "update the Flink job of attempt " + attemptId,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE t_flink_job SET state = ?, restarts = GREATEST(restarts, ?),"
                      + " last_checkpoint = COALESCE(?, last_checkpoint),"
                      + " message = COALESCE(?, message), epoch = ?, updated_at = ?"
                      + " WHERE attempt_id = ? AND generation = ? AND epoch <= ?")) {
            long now = clock.millis();
            s.setString(1, state);
            s.setLong(2, restarts);
            s.setString(3, lastCheckpoint);
            s.setString(4, message == null ? null : truncate(message, 2000));
            s.setLong(5, epoch);
            s.setLong(6, now);
            s.setLong(7, attemptId);
            s.setInt(8, generation);
            s.setLong(9, epoch);
            return s.executeUpdate() == 1;
          }
        });
  }

  /**
   * Marks a submission ended; returns true only for the call that ended it (so what follows an end,
   * like recording the last checkpoint, happens once).
   */
  boolean markEnded(long attemptId, int generation, long epoch, String state, String message) {
    return with(
        "end the Flink job of attempt " + attemptId,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE t_flink_job SET state = ?, message = ?, epoch = ?, updated_at = ?,"
                      + " ended_at = ? WHERE attempt_id = ? AND generation = ? AND epoch <= ?"
                      + " AND ended_at IS NULL")) {
            long now = clock.millis();
            s.setString(1, state);
            s.setString(2, message == null ? null : truncate(message, 2000));
            s.setLong(3, epoch);
            s.setLong(4, now);
            s.setLong(5, now);
            s.setLong(6, attemptId);
            s.setInt(7, generation);
            s.setLong(8, epoch);
            return s.executeUpdate() == 1;
          }
        });
  }

  private static List<FlinkJobInfo> jobs(PreparedStatement s) throws SQLException {
    return rows(
        s,
        r ->
            new FlinkJobInfo(
                r.getLong("attempt_id"),
                r.getInt("generation"),
                r.getString("job_id"),
                r.getString("workflow_name"),
                r.getString("task_id"),
                r.getString("target"),
                r.getString("cluster"),
                r.getString("state"),
                r.getLong("restarts"),
                Optional.ofNullable(r.getString("last_checkpoint")),
                Optional.ofNullable(r.getString("restored_from")),
                Optional.ofNullable(r.getString("savepoint_dir")),
                Optional.ofNullable(r.getString("message")),
                Instant.ofEpochMilli(r.getLong("submitted_at")),
                instant(r, "ended_at")));
  }

  /** A row of a result set as a value. */
  private interface RowMapper<T> {
    T map(ResultSet r) throws SQLException;
  }

  /** Runs the query and maps every row. */
  private static <T> List<T> rows(PreparedStatement s, RowMapper<T> mapper) throws SQLException {
    List<T> out = new ArrayList<>();
    try (ResultSet r = s.executeQuery()) {
      while (r.next()) {
        out.add(mapper.map(r));
      }
    }
    return out;
  }

  /** A nullable epoch-millisecond column. */
  private static Optional<Instant> instant(ResultSet r, String column) throws SQLException {
    long millis = r.getLong(column);
    return r.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
  }

  // ---- savepoints ----

  SavepointRecord insertSavepoint(
      String workflow,
      String taskId,
      long attemptId,
      String jobId,
      SavepointRecord.Kind kind,
      String path) {
    return with(
        "record " + kind + " " + path + " of " + workflow + "." + taskId,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO t_savepoint (workflow_name, task_id, attempt_id, job_id, kind, path,"
                      + " created_at) VALUES (?,?,?,?,?,?,?)",
                  Statement.RETURN_GENERATED_KEYS)) {
            long now = clock.millis();
            s.setString(1, workflow);
            s.setString(2, taskId);
            s.setLong(3, attemptId);
            s.setString(4, jobId);
            s.setString(5, kind.name());
            s.setString(6, path);
            s.setLong(7, now);
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
              keys.next();
              return new SavepointRecord(
                  keys.getLong(1),
                  workflow,
                  taskId,
                  attemptId,
                  jobId,
                  kind,
                  path,
                  Instant.ofEpochMilli(now),
                  Optional.empty());
            }
          }
        });
  }

  /** A task's savepoints not disposed of, newest first. */
  List<SavepointRecord> savepoints(String workflow, String taskId) {
    return with(
        "read the savepoints of " + workflow + "." + taskId,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT "
                      + SAVEPOINT_COLUMNS
                      + " FROM t_savepoint WHERE workflow_name = ? AND task_id = ?"
                      + " AND disposed_at IS NULL ORDER BY id DESC")) {
            s.setString(1, workflow);
            s.setString(2, taskId);
            return savepoints(s);
          }
        });
  }

  Optional<SavepointRecord> savepoint(long id) {
    return with(
        "read savepoint " + id,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT " + SAVEPOINT_COLUMNS + " FROM t_savepoint WHERE id = ?")) {
            s.setLong(1, id);
            return savepoints(s).stream().findFirst();
          }
        });
  }

  /** Marks a record disposed; returns false if it was already. */
  boolean markDisposed(long id) {
    return with(
        "dispose of savepoint " + id,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE t_savepoint SET disposed_at = ? WHERE id = ? AND disposed_at IS NULL")) {
            s.setLong(1, clock.millis());
            s.setLong(2, id);
            return s.executeUpdate() == 1;
          }
        });
  }

  private static List<SavepointRecord> savepoints(PreparedStatement s) throws SQLException {
    return rows(
        s,
        r ->
            new SavepointRecord(
                r.getLong("id"),
                r.getString("workflow_name"),
                r.getString("task_id"),
                r.getLong("attempt_id"),
                r.getString("job_id"),
                SavepointRecord.Kind.valueOf(r.getString("kind")),
                r.getString("path"),
                Instant.ofEpochMilli(r.getLong("created_at")),
                instant(r, "disposed_at")));
  }

  // ---- catalogs and functions ----

  void putCatalog(CatalogInfo catalog) {
    with(
        "store catalog " + catalog.name(),
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO t_catalog_info (name, catalog_type, default_database, options,"
                      + " created_at, updated_at) VALUES (?,?,?,?,?,?) ON DUPLICATE KEY UPDATE"
                      + " catalog_type = VALUES(catalog_type),"
                      + " default_database = VALUES(default_database), options = VALUES(options),"
                      + " updated_at = VALUES(updated_at)")) {
            long now = clock.millis();
            s.setString(1, catalog.name());
            s.setString(2, catalog.type());
            if (catalog.defaultDatabase().isPresent()) {
              s.setString(3, catalog.defaultDatabase().get());
            } else {
              s.setNull(3, Types.VARCHAR);
            }
            s.setString(4, toJson(sealed(catalog)));
            s.setLong(5, now);
            s.setLong(6, now);
            return s.executeUpdate();
          }
        });
  }

  /** The named catalogs, in the order asked; throws naming the ones that do not exist. */
  List<CatalogInfo> catalogs(List<String> names) {
    List<CatalogInfo> all =
        with(
            "read catalogs",
            c -> {
              try (PreparedStatement s =
                  c.prepareStatement(
                      "SELECT name, catalog_type, default_database, options FROM"
                          + " t_catalog_info ORDER BY name")) {
                return rows(
                    s,
                    r ->
                        new CatalogInfo(
                            r.getString(1),
                            r.getString(2),
                            Optional.ofNullable(r.getString(3)),
                            fromJson(r.getString(4))));
              }
            });
    List<CatalogInfo> picked = pick(names, all, CatalogInfo::name, "catalog", "t_catalog_info");
    List<CatalogInfo> opened = new ArrayList<>();
    for (CatalogInfo stored : picked) {
      CatalogInfo plain = opened(stored);
      if (secrets.available() && !current(stored)) {
        try {
          putCatalog(plain); // stored by an older version, or under an older key: seal it anew
        } catch (RuntimeException e) {
          // the next read tries again; the task goes on with the opened options
        }
      }
      opened.add(plain);
    }
    return opened;
  }

  /**
   * The options of {@code catalog} as stored: values of secret-looking names sealed, bound to the
   * catalog's name, type, default database and clear options. Without a key ring, names that merely
   * hold "key" stay in clear; password-like ones cannot be stored.
   */
  private Map<String, String> sealed(CatalogInfo catalog) {
    Map<String, String> stored = new java.util.TreeMap<>();
    catalog
        .options()
        .forEach(
            (k, v) -> {
              boolean seal =
                  Redaction.isSecretName(k)
                      && !secrets.isSealed(v)
                      && (secrets.available() || Redaction.isPasswordName(k));
              if (seal && !secrets.available()) {
                throw new IllegalStateException(
                    "catalog '"
                        + catalog.name()
                        + "' has the secret option '"
                        + k
                        + "' to store, but the platform has no key ring: give one with"
                        + " Platform.builder().keyRing(...)");
              }
              stored.put(k, seal ? secrets.seal(v, context(catalog, k)) : v);
            });
    return stored;
  }

  /** {@code stored} with its sealed option values opened. */
  private CatalogInfo opened(CatalogInfo stored) {
    Map<String, String> plain = new java.util.TreeMap<>();
    stored
        .options()
        .forEach(
            (k, v) -> {
              if (!secrets.isSealed(v)) {
                plain.put(k, v);
                return;
              }
              try {
                plain.put(k, secrets.open(v, context(stored, k)));
              } catch (Secrets.SecretsException e) {
                throw new FlinkTaskException(
                    "option '"
                        + k
                        + "' of catalog '"
                        + stored.name()
                        + "' cannot be opened: "
                        + e.getMessage());
              }
            });
    return new CatalogInfo(stored.name(), stored.type(), stored.defaultDatabase(), plain);
  }

  /** Whether every secret-looking option of {@code stored} is sealed under the active key. */
  private boolean current(CatalogInfo stored) {
    return stored.options().entrySet().stream()
        .allMatch(
            e ->
                secrets.isSealed(e.getValue())
                    ? secrets.isCurrent(e.getValue())
                    : !Redaction.isSecretName(e.getKey()));
  }

  /** What a sealed option is bound to: the catalog and its options kept in clear. */
  private static String context(CatalogInfo catalog, String option) {
    Map<String, String> clear = new java.util.TreeMap<>();
    catalog
        .options()
        .forEach(
            (k, v) -> {
              if (!Redaction.isSecretName(k)) {
                clear.put(k, v);
              }
            });
    return String.join(
        "\n",
        "t_catalog_info",
        catalog.name(),
        catalog.type(),
        catalog.defaultDatabase().orElse(""),
        toJson(clear),
        option);
  }

  void putFunction(FunctionInfo function) {
    with(
        "store function " + function.name(),
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO t_flink_function (name, class_name, jar_uri, created_at,"
                      + " updated_at) VALUES (?,?,?,?,?) ON DUPLICATE KEY UPDATE"
                      + " class_name = VALUES(class_name), jar_uri = VALUES(jar_uri),"
                      + " updated_at = VALUES(updated_at)")) {
            long now = clock.millis();
            s.setString(1, function.name());
            s.setString(2, function.className());
            s.setString(3, function.jarUri().orElse(null));
            s.setLong(4, now);
            s.setLong(5, now);
            return s.executeUpdate();
          }
        });
  }

  List<FunctionInfo> functions(List<String> names) {
    List<FunctionInfo> all =
        with(
            "read functions",
            c -> {
              try (PreparedStatement s =
                  c.prepareStatement(
                      "SELECT name, class_name, jar_uri FROM t_flink_function ORDER BY name")) {
                return rows(
                    s,
                    r ->
                        new FunctionInfo(
                            r.getString(1), r.getString(2), Optional.ofNullable(r.getString(3))));
              }
            });
    return pick(names, all, FunctionInfo::name, "function", "t_flink_function");
  }

  private static <T> List<T> pick(
      List<String> names,
      List<T> all,
      java.util.function.Function<T, String> name,
      String what,
      String table) {
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
              + "; "
              + table
              + " has "
              + all.stream().map(name).toList());
    }
    return out;
  }

  private static String toJson(Map<String, String> options) {
    try {
      return JSON.writeValueAsString(new java.util.TreeMap<>(options));
    } catch (Exception e) {
      throw new IllegalArgumentException("catalog options cannot be written as JSON", e);
    }
  }

  private static Map<String, String> fromJson(String json) {
    try {
      return JSON.readValue(json, new TypeReference<Map<String, String>>() {});
    } catch (Exception e) {
      throw new FlinkTaskException("catalog options in t_catalog_info are not a JSON object", e);
    }
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }
}
