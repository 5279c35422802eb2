CREATE TABLE darkroom_provider_limits (
    provider      VARCHAR(40)  NOT NULL PRIMARY KEY,
    in_flight     INTEGER      NOT NULL,
    updated_at    TIMESTAMP    NOT NULL
);
