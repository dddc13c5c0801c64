-- Who did what, when, to what, and what it was before and after: every act that changes who may use what
-- (tokens, quotas, awards, node states, a job cancelled by someone else). Written in the same transaction as the
-- journal rows of the act, so the two never disagree.
CREATE TABLE audit (
    id           BIGINT PRIMARY KEY,
    at           BIGINT NOT NULL,
    actor        VARCHAR(200) NOT NULL,
    role         VARCHAR(32) NOT NULL,
    token        VARCHAR(32),
    action       VARCHAR(64) NOT NULL,
    target       VARCHAR(400) NOT NULL,
    before_value VARCHAR(4000),
    after_value  VARCHAR(4000)
);
CREATE INDEX audit_at ON audit (at);
