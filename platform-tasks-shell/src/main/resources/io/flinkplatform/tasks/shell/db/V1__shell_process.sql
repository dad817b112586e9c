-- The processes of running shell attempts, one row per started process tree, so that after a
-- failover the instance that runs the attempt again on the same host can find and end survivors of
-- the dead one. A row is deleted when its attempt ends. Times are epoch milliseconds.
CREATE TABLE t_shell_process (
  id               BIGINT       NOT NULL AUTO_INCREMENT,
  host             VARCHAR(191) NOT NULL COMMENT 'host name of the machine running the process',
  boot_id          VARCHAR(64)  NOT NULL COMMENT 'the machine''s boot id; pids are only meaningful within one boot',
  run_id           BIGINT       NOT NULL,
  task_id          VARCHAR(128) NOT NULL,
  attempt_id       BIGINT       NOT NULL,
  attempt          INT          NOT NULL,
  epoch            BIGINT       NOT NULL COMMENT 'fencing epoch of the claim that started the process',
  pid              BIGINT       NOT NULL,
  started_at       BIGINT       NOT NULL COMMENT 'process start time as the system reports it; with pid, the identity',
  token            VARCHAR(64)  NOT NULL COMMENT 'value of PLATFORM_PROCESS_TOKEN in the environment of every process of the tree',
  owner_pid        BIGINT       NOT NULL COMMENT 'pid of the JVM supervising the process',
  owner_started_at BIGINT       NOT NULL COMMENT 'start time of that JVM',
  owner_name       VARCHAR(191) NOT NULL COMMENT 'platform instance name, for people',
  grace_ms         BIGINT       NOT NULL COMMENT 'killGracePeriod of the task',
  created_at       BIGINT       NOT NULL,
  PRIMARY KEY (id),
  KEY idx_shell_process_task (host, run_id, task_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
