-- Tables of the flink task plugin; applied by the platform with the history table
-- flink_platform_schema_history_flink.

-- Flink catalogs that flink_sql tasks register before their statements (option `catalogs`).
CREATE TABLE t_catalog_info (
  id               BIGINT       NOT NULL AUTO_INCREMENT,
  name             VARCHAR(128) NOT NULL,
  catalog_type     VARCHAR(64)  NOT NULL,
  default_database VARCHAR(128) NULL,
  options          TEXT         NOT NULL,
  created_at       BIGINT       NOT NULL,
  updated_at       BIGINT       NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_catalog_info_name (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- User-defined functions that flink_sql tasks register before their statements (option `functions`).
CREATE TABLE t_flink_function (
  id          BIGINT        NOT NULL AUTO_INCREMENT,
  name        VARCHAR(128)  NOT NULL,
  class_name  VARCHAR(512)  NOT NULL,
  jar_uri     VARCHAR(1024) NULL,
  created_at  BIGINT        NOT NULL,
  updated_at  BIGINT        NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_flink_function_name (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- One row per Flink job submitted for an attempt: generation 0 is the first submission, the
-- supervisor's resubmissions after a failure are 1, 2, ... The job id is derived from
-- (namespace, attempt_id, generation), so the primary key and Flink both reject a second submit.
CREATE TABLE t_flink_job (
  attempt_id      BIGINT        NOT NULL,
  generation      INT           NOT NULL,
  job_id          CHAR(32)      NOT NULL,
  workflow_name   VARCHAR(255)  NOT NULL,
  task_id         VARCHAR(255)  NOT NULL,
  run_id          BIGINT        NOT NULL,
  target          VARCHAR(32)   NOT NULL,
  cluster         VARCHAR(512)  NOT NULL,
  epoch           BIGINT        NOT NULL,
  state           VARCHAR(32)   NOT NULL,
  restarts        BIGINT        NOT NULL DEFAULT -1,
  last_checkpoint VARCHAR(1024) NULL,
  restored_from   VARCHAR(1024) NULL,
  savepoint_dir   VARCHAR(1024) NULL,
  message         VARCHAR(2048) NULL,
  submitted_at    BIGINT        NOT NULL,
  updated_at      BIGINT        NOT NULL,
  ended_at        BIGINT        NULL,
  PRIMARY KEY (attempt_id, generation),
  KEY idx_flink_job_task (workflow_name, task_id, submitted_at),
  KEY idx_flink_job_id (job_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- Savepoints (and retained checkpoints) as records: what a task can restore from.
CREATE TABLE t_savepoint (
  id            BIGINT        NOT NULL AUTO_INCREMENT,
  workflow_name VARCHAR(255)  NOT NULL,
  task_id       VARCHAR(255)  NOT NULL,
  attempt_id    BIGINT        NOT NULL,
  job_id        CHAR(32)      NOT NULL,
  kind          VARCHAR(16)   NOT NULL,
  path          VARCHAR(1024) NOT NULL,
  created_at    BIGINT        NOT NULL,
  disposed_at   BIGINT        NULL,
  PRIMARY KEY (id),
  KEY idx_savepoint_task (workflow_name, task_id, disposed_at, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
