-- Core schema. Times are epoch milliseconds (BIGINT) taken from the platform's Clock, so that every
-- instance and every database agree on them whatever the session time zone is.

CREATE TABLE t_job_flow (
  id           BIGINT       NOT NULL AUTO_INCREMENT,
  name         VARCHAR(128) NOT NULL,
  version      INT          NOT NULL,
  description  VARCHAR(1024) NOT NULL DEFAULT '',
  definition   LONGTEXT     NOT NULL COMMENT 'the workflow as JSON, exactly as deployed',
  created_at   BIGINT       NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_job_flow_name_version (name, version)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE t_job (
  id           BIGINT       NOT NULL AUTO_INCREMENT,
  flow_id      BIGINT       NOT NULL,
  task_id      VARCHAR(128) NOT NULL,
  type         VARCHAR(64)  NOT NULL,
  options      LONGTEXT     NOT NULL COMMENT 'raw options as JSON',
  trigger_rule VARCHAR(16)  NOT NULL,
  max_retries  INT          NOT NULL,
  timeout_ms   BIGINT       NULL,
  priority     INT          NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_job_flow_task (flow_id, task_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE t_job_flow_run (
  id           BIGINT       NOT NULL AUTO_INCREMENT,
  flow_id      BIGINT       NOT NULL,
  flow_name    VARCHAR(128) NOT NULL,
  flow_version INT          NOT NULL,
  state        VARCHAR(16)  NOT NULL,
  logical_date BIGINT       NOT NULL,
  params       TEXT         NOT NULL COMMENT 'run parameters as JSON',
  created_at   BIGINT       NOT NULL,
  started_at   BIGINT       NULL,
  ended_at     BIGINT       NULL,
  PRIMARY KEY (id),
  KEY idx_flow_run_state (state),
  KEY idx_flow_run_name (flow_name, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- One row per attempt. A retry inserts a new row; rows are never overwritten by a later attempt.
CREATE TABLE t_job_run (
  id           BIGINT       NOT NULL AUTO_INCREMENT,
  flow_run_id  BIGINT       NOT NULL,
  flow_id      BIGINT       NOT NULL,
  task_id      VARCHAR(128) NOT NULL,
  attempt      INT          NOT NULL,
  state        VARCHAR(16)  NOT NULL,
  neg_priority INT          NOT NULL DEFAULT 0 COMMENT 'minus the task priority: claims scan the index in ascending order',
  ready_at     BIGINT       NOT NULL DEFAULT 0 COMMENT 'not claimed before this time (retry backoff)',
  owner        VARCHAR(191) NULL COMMENT 't_worker.name of the instance holding the claim',
  epoch        BIGINT       NOT NULL DEFAULT 0 COMMENT 'fencing epoch, incremented by every claim',
  lease_until  BIGINT       NULL,
  external_ref TEXT         NULL COMMENT 'JSON reference to external work (e.g. a Flink job)',
  outputs      TEXT         NULL COMMENT 'JSON outputs of a successful attempt',
  message      TEXT         NULL,
  log_path     VARCHAR(1024) NULL COMMENT 'pointer into the log store',
  created_at   BIGINT       NOT NULL,
  started_at   BIGINT       NULL,
  ended_at     BIGINT       NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_job_run_attempt (flow_run_id, task_id, attempt),
  KEY idx_job_run_claim (state, neg_priority, id, ready_at),
  KEY idx_job_run_lease (state, lease_until),
  KEY idx_job_run_owner (owner, state)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE t_worker (
  id            BIGINT       NOT NULL AUTO_INCREMENT,
  name          VARCHAR(191) NOT NULL COMMENT 'unique per process: instance name plus a session suffix',
  instance_name VARCHAR(128) NOT NULL,
  host          VARCHAR(255) NOT NULL,
  pid           BIGINT       NOT NULL,
  version       VARCHAR(64)  NOT NULL,
  labels        VARCHAR(1024) NOT NULL DEFAULT '',
  state         VARCHAR(16)  NOT NULL COMMENT 'ACTIVE or STOPPED',
  started_at    BIGINT       NOT NULL,
  heartbeat_at  BIGINT       NOT NULL,
  lease_until   BIGINT       NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_worker_name (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
