-- Housekeeping (retention): one row per job that one instance at a time should do. An instance takes
-- the row's lease before each batch of deletions, in the same transaction, so batches of two
-- instances never overlap; the lease (database time) lets another instance take over from one that
-- died.
CREATE TABLE t_housekeeping (
  name        VARCHAR(64)  NOT NULL,
  owner       VARCHAR(191) NULL COMMENT 't_worker.name of the instance doing it',
  lease_until BIGINT       NOT NULL DEFAULT 0,
  last_run_at BIGINT       NULL,
  PRIMARY KEY (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- finished runs are found by their end time
ALTER TABLE t_job_flow_run ADD KEY idx_flow_run_ended (ended_at);
