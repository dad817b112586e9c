-- Logic tasks: child runs started by an attempt (sub-workflows), and branches chosen by an attempt.

ALTER TABLE t_job_flow_run
  ADD COLUMN parent_attempt_id BIGINT NULL COMMENT 't_job_run.id of the attempt that started this run as a child',
  ADD COLUMN depth             INT    NOT NULL DEFAULT 0 COMMENT '0 for a run of its own, parent depth + 1 for a child',
  ADD UNIQUE KEY uk_flow_run_parent (parent_attempt_id),
  ADD KEY idx_flow_run_logical (flow_name, logical_date);

ALTER TABLE t_job_run
  ADD COLUMN branches TEXT NULL COMMENT 'JSON list of the downstream task ids a successful attempt chose; NULL: all';
