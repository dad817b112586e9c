-- Console sessions (docs/console.md): a row per logged-in browser, so that every instance behind a
-- load balancer accepts the same session. The cookie holds a random 256-bit id; the row only its
-- SHA-256, so a copy of this table lets no one in. Resumable: IF NOT EXISTS.

CREATE TABLE IF NOT EXISTS t_console_session (
  id_hash    CHAR(64)     NOT NULL COMMENT 'hex SHA-256 of the cookie value',
  actor      VARCHAR(191) NOT NULL,
  csrf       VARCHAR(64)  NOT NULL COMMENT 'the token every state-changing request must echo',
  address    VARCHAR(64)  NULL,
  created_at BIGINT       NOT NULL COMMENT 'platform clock, ms',
  seen_at    BIGINT       NOT NULL,
  expires_at BIGINT       NOT NULL COMMENT 'created_at + the maximum age',
  PRIMARY KEY (id_hash),
  KEY idx_console_session_expires (expires_at),
  KEY idx_console_session_actor (actor)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
