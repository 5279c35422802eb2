CREATE TABLE darkroom_jobs (
    id               VARCHAR(80)   NOT NULL PRIMARY KEY,
    dedupe_key       VARCHAR(64),
    state            VARCHAR(20)   NOT NULL,
    use_case         VARCHAR(20),
    model            VARCHAR(120),
    provider         VARCHAR(40),
    provider_job_id  VARCHAR(200),
    poll_url         VARCHAR(2000),
    polls            INTEGER       NOT NULL DEFAULT 0,
    estimated_usd    DECIMAL(12,4),
    actual_usd       DECIMAL(12,4),
    error_code       VARCHAR(40),
    error_message    VARCHAR(2000),
    received_at      VARCHAR(40),
    submitted_at     VARCHAR(40),
    updated_at       TIMESTAMP     NOT NULL,
    job_json         TEXT          NOT NULL
);
CREATE INDEX darkroom_jobs_dedupe ON darkroom_jobs (dedupe_key);
CREATE INDEX darkroom_jobs_state ON darkroom_jobs (state);
