-- The names behind the engine's positions (GPU models, nodes, tenants), per set: 'format1' is the fleet a journal of
-- format 1 (positions) was written on, so that it reads the same under a reordered file; 'last' is the fleet of the
-- latest start, so that a changed fleet file is reported as the changes it makes.
CREATE TABLE fleet_identity (
    name_set VARCHAR(16)  NOT NULL,
    kind     VARCHAR(16)  NOT NULL,
    pos      INTEGER      NOT NULL,
    name     VARCHAR(400) NOT NULL,
    PRIMARY KEY (name_set, kind, pos)
);
