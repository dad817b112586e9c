package io.flinkplatform.engine.dag;

import java.time.Duration;

/**
 * The bounds the platform holds every definition and request to, each in one place. A value out of
 * bounds is refused where it enters (deploy, trigger, schedule save, backfill) with a typed error
 * naming the field, before anything is written.
 */
public final class Bounds {
  /** The lowest workflow or task priority. */
  public static final int MIN_PRIORITY = -1_000;

  /** The highest workflow or task priority; their sum always fits the database column. */
  public static final int MAX_PRIORITY = 1_000;

  /** The most retries a task may have. */
  public static final int MAX_RETRIES = 100;

  /** The most tasks in one workflow. */
  public static final int MAX_TASKS = 20_000;

  /** The most edges that leave one task (fan-out), and the most that enter one (fan-in). */
  public static final int MAX_EDGES_PER_TASK = 10_000;

  /** The longest task timeout. */
  public static final Duration MAX_TIMEOUT = Duration.ofDays(30);

  /** The longest retry delay (and maximum delay of an exponential backoff). */
  public static final Duration MAX_RETRY_DELAY = Duration.ofDays(1);

  /** The longest workflow description, in characters (the column is VARCHAR(1024)). */
  public static final int MAX_DESCRIPTION = 1_024;

  /** The longest cron expression of a schedule, in characters (the column is VARCHAR(256)). */
  public static final int MAX_CRON = 256;

  /**
   * The largest parameter map of a run or schedule, as JSON in UTF-8 bytes (the column is TEXT,
   * 65,535 bytes).
   */
  public static final int MAX_PARAMETERS_BYTES = 65_535;

  private Bounds() {}
}
