-- Nuri's durable state: the event journal (the truth), state-hash checkpoints (to verify recovery),
-- the writer lease (one scheduler at a time), API tokens (hashed), and facts about the store.
-- Portable between H2 (MODE=PostgreSQL) and PostgreSQL: no RETURNING, no partial indexes.

CREATE TABLE nuri_meta (
    name VARCHAR(64) PRIMARY KEY,
    val  VARCHAR(4000) NOT NULL
);

CREATE TABLE journal (
    seq  BIGINT PRIMARY KEY,
    at   BIGINT NOT NULL,
    kind VARCHAR(40) NOT NULL,
    body VARCHAR(1000000) NOT NULL
);

CREATE TABLE checkpoint (
    seq        BIGINT PRIMARY KEY,
    state_hash BIGINT NOT NULL,
    at         BIGINT NOT NULL
);

CREATE TABLE lease (
    name       VARCHAR(64) PRIMARY KEY,
    holder     VARCHAR(200) NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE api_token (
    id          VARCHAR(32) PRIMARY KEY,
    secret_hash VARCHAR(64) NOT NULL,
    role        VARCHAR(32) NOT NULL,
    tenant      VARCHAR(200),
    user_name   VARCHAR(200) NOT NULL,
    created_at  BIGINT NOT NULL,
    revoked_at  BIGINT
);
