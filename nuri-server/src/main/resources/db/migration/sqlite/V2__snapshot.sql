-- Engine snapshots: the state after journal event `seq`, gzipped JSON, so a restart replays only the tail.
CREATE TABLE snapshot (
    seq        BIGINT PRIMARY KEY,
    state_hash BIGINT NOT NULL,
    at         BIGINT NOT NULL,
    body       BLOB NOT NULL
);
