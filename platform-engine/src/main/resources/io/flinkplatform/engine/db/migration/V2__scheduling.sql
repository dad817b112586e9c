-- Schedules, backfills and held-back runs.

CREATE TABLE t_schedule (
  id              BIGINT       NOT NULL AUTO_INCREMENT,
  name            VARCHAR(128) NOT NULL,
  flow_name       VARCHAR(128) NOT NULL,
  cron            VARCHAR(256) NOT NULL,
  zone            VARCHAR(64)  NOT NULL,
  start_at        BIGINT       NULL,
  end_at          BIGINT       NULL,
  paused          TINYINT      NOT NULL DEFAULT 0,
  dst_gap         VARCHAR(32)  NOT NULL,
  dst_overlap     VARCHAR(32)  NOT NULL,
  misfire         VARCHAR(32)  NOT NULL,
  catch_up_limit  INT          NOT NULL,
  misfire_after_ms BIGINT      NOT NULL,
  overlap         VARCHAR(32)  NOT NULL,
  max_parallel    INT          NOT NULL,
  params          TEXT         NOT NULL COMMENT 'run parameters as JSON',
  next_fire_at    BIGINT       NULL COMMENT 'the next nominal fire time; NULL once past end_at',
  last_fire_at    BIGINT       NULL,
  created_at      BIGINT       NOT NULL,
  updated_at      BIGINT       NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_schedule_name (name),
  KEY idx_schedule_due (paused, next_fire_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE t_backfill (
  id           BIGINT       NOT NULL AUTO_INCREMENT,
  flow_name    VARCHAR(128) NOT NULL,
  first_date   BIGINT       NOT NULL,
  last_date    BIGINT       NOT NULL,
  runs         INT          NOT NULL,
  parallelism  INT          NOT NULL,
  state        VARCHAR(32)  NOT NULL,
  created_at   BIGINT       NOT NULL,
  ended_at     BIGINT       NULL,
  PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

ALTER TABLE t_job_flow_run
  ADD COLUMN schedule_id BIGINT NULL,
  ADD COLUMN fire_time   BIGINT NULL COMMENT 'nominal fire time of a scheduled run',
  ADD COLUMN backfill_id BIGINT NULL,
  ADD COLUMN max_active  INT    NULL COMMENT 'admission limit a CREATED run waits for',
  ADD UNIQUE KEY uk_flow_run_fire (schedule_id, fire_time),
  ADD KEY idx_flow_run_schedule (schedule_id, state),
  ADD KEY idx_flow_run_backfill (backfill_id, state),
  ADD KEY idx_flow_run_flow_state (flow_name, state);
