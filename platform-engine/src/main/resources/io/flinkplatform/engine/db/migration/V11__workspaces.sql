-- Workspaces, identities, roles, grants and the audit trail (docs/security.md). Everything that
-- existed before belongs to the workspace 'default'; the host embedding the platform acts as the
-- actor 'system', so single-team use keeps working unchanged.
--
-- DDL is not transactional: an instance that dies (or a statement that fails) half-way leaves the
-- statements before it applied, and the next start (after `flyway repair` when a failed row was
-- recorded) runs this file again from the top. Every statement therefore does nothing the second
-- time: IF NOT EXISTS / INSERT IGNORE, MariaDB's IF NOT EXISTS on added columns and indexes (in
-- /*M! */ comments, which MySQL skips; there a half-done run still needs a manual clean-up), and
-- pool renames only of names without a '/' (names of the previous release could not have one).

CREATE TABLE IF NOT EXISTS t_workspace (
  name                   VARCHAR(64)   NOT NULL,
  description            VARCHAR(1024) NOT NULL DEFAULT '',
  min_priority           INT           NULL COMMENT 'caps: NULL for no cap',
  max_priority           INT           NULL,
  max_tasks_per_workflow INT           NULL,
  min_cron_interval_ms   BIGINT        NULL,
  max_active_runs        INT           NULL COMMENT 'runs of the workspace CREATED or active at once',
  max_backfill_runs      INT           NULL,
  created_at             BIGINT        NOT NULL,
  created_by             VARCHAR(191)  NOT NULL,
  PRIMARY KEY (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

INSERT IGNORE INTO t_workspace (name, created_at, created_by)
VALUES ('default', UNIX_TIMESTAMP() * 1000, 'system');

-- Members of a workspace in the built-in store. A host with its own Authorizer may leave it empty.
CREATE TABLE IF NOT EXISTS t_member (
  workspace  VARCHAR(64)  NOT NULL,
  principal  VARCHAR(128) NOT NULL COMMENT 'user name',
  role       VARCHAR(16)  NOT NULL COMMENT 'VIEWER, OPERATOR, EDITOR or ADMIN',
  created_at BIGINT       NOT NULL,
  created_by VARCHAR(191) NOT NULL,
  PRIMARY KEY (workspace, principal),
  KEY idx_member_principal (principal)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- What a workspace may use of another one (owner, name), or of the platform (labels: owner '').
-- A name '*' grants every thing of that kind of the owner.
CREATE TABLE IF NOT EXISTS t_grant (
  workspace  VARCHAR(64)  NOT NULL COMMENT 'the workspace that may use it',
  kind       VARCHAR(32)  NOT NULL COMMENT 'datasource, workflow, pool, label, catalog, ...',
  owner      VARCHAR(64)  NOT NULL COMMENT 'the workspace it belongs to; empty for labels',
  name       VARCHAR(191) NOT NULL,
  created_at BIGINT       NOT NULL,
  created_by VARCHAR(191) NOT NULL,
  PRIMARY KEY (workspace, kind, owner, name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- the default workspace keeps routing to every label, as before
INSERT IGNORE INTO t_grant (workspace, kind, owner, name, created_at, created_by)
VALUES ('default', 'label', '', '*', UNIX_TIMESTAMP() * 1000, 'system');

-- The built-in user store: hashes only (Argon2id, in the library's encoded form).
CREATE TABLE IF NOT EXISTS t_user (
  name           VARCHAR(128)  NOT NULL,
  display_name   VARCHAR(255)  NOT NULL DEFAULT '',
  password_hash  VARCHAR(255)  NULL COMMENT 'NULL: cannot log in with a password',
  platform_admin TINYINT       NOT NULL DEFAULT 0,
  disabled       TINYINT       NOT NULL DEFAULT 0,
  created_at     BIGINT        NOT NULL,
  updated_at     BIGINT        NOT NULL,
  PRIMARY KEY (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE IF NOT EXISTS t_api_token (
  id           BIGINT        NOT NULL AUTO_INCREMENT,
  user_name    VARCHAR(128)  NOT NULL,
  name         VARCHAR(128)  NOT NULL COMMENT 'what the owner calls it',
  token_hash   VARCHAR(255)  NOT NULL COMMENT 'hash of the secret part; the token is shown once',
  created_at   BIGINT        NOT NULL,
  expires_at   BIGINT        NOT NULL,
  revoked_at   BIGINT        NULL,
  last_used_at BIGINT        NULL,
  PRIMARY KEY (id),
  KEY idx_api_token_user (user_name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- One row per change, written in the transaction of the change. Two indexes only: every trigger
-- writes a row, and pages by action or time scan a workspace's (or an actor's) rows newest first.
CREATE TABLE IF NOT EXISTS t_audit (
  id        BIGINT        NOT NULL AUTO_INCREMENT,
  at        BIGINT        NOT NULL,
  actor     VARCHAR(191)  NOT NULL,
  workspace VARCHAR(64)   NOT NULL COMMENT 'empty for platform-wide changes (users, workspaces)',
  action    VARCHAR(64)   NOT NULL COMMENT 'e.g. workflow.deploy, run.trigger',
  target    VARCHAR(512)  NOT NULL,
  digest    VARCHAR(2048) NOT NULL COMMENT 'what changed, never a secret',
  address   VARCHAR(64)   NULL COMMENT 'the caller''s network address when known',
  PRIMARY KEY (id),
  KEY idx_audit_workspace (workspace, id),
  KEY idx_audit_actor (actor, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

ALTER TABLE t_job_flow
  ADD COLUMN /*M! IF NOT EXISTS */ workspace VARCHAR(64) NOT NULL DEFAULT 'default' AFTER id,
  ADD COLUMN /*M! IF NOT EXISTS */ created_by VARCHAR(191) NOT NULL DEFAULT 'system',
  DROP KEY uk_job_flow_name_version,
  ADD UNIQUE KEY uk_job_flow_name_version (workspace, name, version);

ALTER TABLE t_job_flow_run
  ADD COLUMN /*M! IF NOT EXISTS */ workspace    VARCHAR(64)  NOT NULL DEFAULT 'default' AFTER id,
  ADD COLUMN /*M! IF NOT EXISTS */ triggered_by VARCHAR(191) NOT NULL DEFAULT 'system',
  ADD COLUMN /*M! IF NOT EXISTS */ killed_by    VARCHAR(191) NULL,
  ADD COLUMN /*M! IF NOT EXISTS */ rerun_by     VARCHAR(191) NULL COMMENT 'who started the latest rerun or mark',
  DROP KEY idx_flow_run_name,
  ADD KEY idx_flow_run_name (workspace, flow_name, id),
  DROP KEY idx_flow_run_flow_state,
  ADD KEY idx_flow_run_flow_state (workspace, flow_name, state),
  DROP KEY idx_flow_run_logical,
  ADD KEY idx_flow_run_logical (workspace, flow_name, logical_date);

ALTER TABLE t_job_run
  ADD COLUMN /*M! IF NOT EXISTS */ rerun_by  VARCHAR(191) NULL COMMENT 'who created this attempt by a rerun or a mark',
  ADD COLUMN /*M! IF NOT EXISTS */ killed_by VARCHAR(191) NULL;

ALTER TABLE t_schedule
  ADD COLUMN /*M! IF NOT EXISTS */ workspace VARCHAR(64) NOT NULL DEFAULT 'default' AFTER id,
  DROP KEY uk_schedule_name,
  ADD UNIQUE KEY uk_schedule_name (workspace, name);

ALTER TABLE t_backfill
  ADD COLUMN /*M! IF NOT EXISTS */ workspace  VARCHAR(64)  NOT NULL DEFAULT 'default' AFTER id,
  ADD COLUMN /*M! IF NOT EXISTS */ created_by VARCHAR(191) NOT NULL DEFAULT 'system';

-- Pools, workflow limits and max active runs belong to a workspace: their names are kept as
-- workspace/name, so the claim and admission queries stay what they were. Task-type limits stay
-- platform-wide.
-- 'default/' plus a workflow name of 128 characters; up to 64 + 1 + 128 later. 200 characters are
-- 800 bytes, over the 767 bytes a key column may have in the COMPACT/REDUNDANT row formats (a
-- server whose innodb_default_row_format is compact made t_pool so): DYNAMIC allows 3072.
ALTER TABLE t_pool ROW_FORMAT = DYNAMIC, MODIFY COLUMN name VARCHAR(200) NOT NULL;
UPDATE t_pool SET name = CONCAT('default/', name)
WHERE kind IN ('POOL', 'WORKFLOW', 'RUNS') AND INSTR(name, '/') = 0;
ALTER TABLE t_job MODIFY COLUMN pool VARCHAR(200) NULL;
UPDATE t_job SET pool = CONCAT('default/', pool) WHERE pool IS NOT NULL AND INSTR(pool, '/') = 0;
ALTER TABLE t_job_run MODIFY COLUMN pool VARCHAR(200) NULL;
UPDATE t_job_run SET pool = CONCAT('default/', pool)
WHERE pool IS NOT NULL AND INSTR(pool, '/') = 0;
