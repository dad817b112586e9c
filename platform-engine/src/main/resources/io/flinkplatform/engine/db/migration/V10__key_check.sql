-- Fingerprints of the keys that seal values at rest (KeyRing), one per key id: an instance started
-- with a different key under a known id fails to start instead of failing tasks later. A
-- fingerprint is an HMAC of a fixed text under the key; it does not reveal the key.
CREATE TABLE t_key_check (
  key_id      VARCHAR(32) NOT NULL,
  fingerprint VARCHAR(64) NOT NULL COMMENT 'hex of HMAC-SHA256(key, fixed text), first 16 bytes',
  created_at  BIGINT      NOT NULL COMMENT 'epoch milliseconds',
  PRIMARY KEY (key_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
