-- The tenancy (tenants' quotas and policies, awards) as JSON, per name: 'genesis' is what the journal began with, so
-- that a replay starts where the journal did whatever the fleet file says now; 'last' is the fleet file's at the
-- latest start, so that an edited file becomes journaled change commands.
CREATE TABLE tenancy (
    name VARCHAR(16) PRIMARY KEY,
    body VARCHAR(1000000) NOT NULL
);
