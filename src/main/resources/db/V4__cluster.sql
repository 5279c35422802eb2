-- Cluster mode: several nodes share this ledger. Each unfinished job is held by one node under a
-- lease the node renews; a lease that runs out lets another node take the job over.
ALTER TABLE darkroom_jobs ADD COLUMN owner_node VARCHAR(120);
ALTER TABLE darkroom_jobs ADD COLUMN lease_until TIMESTAMP WITH TIME ZONE;
CREATE INDEX darkroom_jobs_lease ON darkroom_jobs (lease_until);
-- an input (a ticket in the shared inbox, an object of the bucket, a message of the mailbox) is
-- claimed by inserting its key: the insert that wins starts the job, the others skip the input
CREATE TABLE darkroom_input_claims (
    input_key   VARCHAR(1000) NOT NULL PRIMARY KEY,
    job_id      VARCHAR(80)   NOT NULL,
    node_id     VARCHAR(120)  NOT NULL,
    claimed_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX darkroom_input_claims_job ON darkroom_input_claims (job_id);
-- a provider's in-flight slots, counted across every node (max-in-flight holds for the cluster)
CREATE TABLE darkroom_provider_slots (
    job_id      VARCHAR(80)   NOT NULL PRIMARY KEY,
    provider    VARCHAR(40)   NOT NULL,
    node_id     VARCHAR(120)  NOT NULL,
    taken_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX darkroom_provider_slots_provider ON darkroom_provider_slots (provider);
