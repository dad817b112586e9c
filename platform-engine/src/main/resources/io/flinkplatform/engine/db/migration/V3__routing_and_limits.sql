-- Routing (worker labels, task types) and concurrency limits (named pools, per task type, per
-- workflow), all enforced by the claim query and the claim transaction, never in one JVM's memory.

ALTER TABLE t_job_run
  ADD COLUMN task_type VARCHAR(64) NOT NULL DEFAULT '' COMMENT 'copied from t_job: claims filter on the types an instance has',
  ADD COLUMN label     VARCHAR(64) NOT NULL DEFAULT '' COMMENT 'worker label the task requires; empty for none',
  ADD COLUMN pool      VARCHAR(64) NULL COMMENT 'named pool whose slot the attempt holds while RUNNING',
  ADD COLUMN aged      INT         NOT NULL DEFAULT 0 COMMENT 'priority steps gained while READY (ageing)';

UPDATE t_job_run r JOIN t_job j ON j.flow_id = r.flow_id AND j.task_id = r.task_id
SET r.task_type = j.type;

ALTER TABLE t_job
  ADD COLUMN label VARCHAR(64) NOT NULL DEFAULT '',
  ADD COLUMN pool  VARCHAR(64) NULL;

ALTER TABLE t_worker
  ADD COLUMN task_types VARCHAR(4096) NOT NULL DEFAULT '' COMMENT 'comma-separated task type ids it runs';

ALTER TABLE t_schedule
  ADD COLUMN last_skip VARCHAR(1024) NULL COMMENT 'why the latest skipped fire time did not run (misfire, overlap)';

ALTER TABLE t_job_flow_run
  ADD COLUMN priority INT NOT NULL DEFAULT 0 COMMENT 'the workflow priority when the run was created';

-- One row per limit. kind POOL: a named pool tasks opt into; TASK_TYPE: all tasks of a type;
-- WORKFLOW: all tasks of all runs of a workflow (its max parallel tasks). Claims lock the rows of
-- the limits they would take a slot of, then count RUNNING attempts: the count is the truth.
CREATE TABLE t_pool (
  kind       VARCHAR(16)  NOT NULL,
  name       VARCHAR(128) NOT NULL,
  slots      INT          NOT NULL,
  updated_at BIGINT       NOT NULL,
  PRIMARY KEY (kind, name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
