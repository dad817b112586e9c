-- The datasource registry of the sql task plugin. Passwords are never stored in clear: either
-- encrypted (AES-GCM, key given by the host) or as a reference a secret source resolves.
-- Times are epoch milliseconds.
CREATE TABLE t_datasource (
  id                 BIGINT        NOT NULL AUTO_INCREMENT,
  name               VARCHAR(64)   NOT NULL,
  type               VARCHAR(16)   NOT NULL COMMENT 'MYSQL, MARIADB, TIDB, CLICKHOUSE, HIVE, POSTGRESQL or GENERIC',
  url                VARCHAR(2048) NOT NULL COMMENT 'JDBC URL, never holding a password',
  username           VARCHAR(255)  NULL,
  properties         TEXT          NOT NULL COMMENT 'driver properties, form-urlencoded, sorted by name',
  password_encrypted TEXT          NULL COMMENT 'v1:Base64(nonce | AES-GCM ciphertext | tag)',
  password_secret    VARCHAR(512)  NULL COMMENT 'reference resolved by the secret source',
  version            INT           NOT NULL COMMENT 'starts at 1, grows with every update',
  created_at         BIGINT        NOT NULL,
  updated_at         BIGINT        NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_datasource_name (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
