-- Workspaces (issue 14): catalogs and functions belong to one workspace and their names are unique
-- per workspace; Flink jobs and savepoint records carry the workspace of their run, so a task's
-- savepoints (restore_from 'latest', retention) are never another workspace's task of the same
-- name. Everything that exists lands in the workspace 'default'. `version` counts the changes of a
-- catalog or function (the audit trail names it).

ALTER TABLE t_catalog_info
  ADD COLUMN workspace VARCHAR(64) NOT NULL DEFAULT 'default' AFTER id,
  ADD COLUMN version BIGINT NOT NULL DEFAULT 1 AFTER options,
  DROP INDEX uk_catalog_info_name,
  ADD UNIQUE KEY uk_catalog_info_name (workspace, name);

ALTER TABLE t_flink_function
  ADD COLUMN workspace VARCHAR(64) NOT NULL DEFAULT 'default' AFTER id,
  ADD COLUMN version BIGINT NOT NULL DEFAULT 1 AFTER jar_uri,
  DROP INDEX uk_flink_function_name,
  ADD UNIQUE KEY uk_flink_function_name (workspace, name);

ALTER TABLE t_flink_job
  ADD COLUMN workspace VARCHAR(64) NOT NULL DEFAULT 'default' AFTER job_id,
  DROP INDEX idx_flink_job_task,
  ADD KEY idx_flink_job_task (workspace, workflow_name, task_id, submitted_at);

ALTER TABLE t_savepoint
  ADD COLUMN workspace VARCHAR(64) NOT NULL DEFAULT 'default' AFTER id,
  DROP INDEX idx_savepoint_task,
  ADD KEY idx_savepoint_task (workspace, workflow_name, task_id, disposed_at, id);
