-- received_at and submitted_at were ISO-8601 text, compared as text: an instant with fractional
-- seconds sorted before the whole second it follows, so a job just after midnight could miss the
-- day's budget. They become real timestamps; the text of existing rows is converted.
ALTER TABLE darkroom_jobs ADD COLUMN received_time TIMESTAMP WITH TIME ZONE;
ALTER TABLE darkroom_jobs ADD COLUMN submitted_time TIMESTAMP WITH TIME ZONE;
UPDATE darkroom_jobs SET received_time = CAST(received_at AS TIMESTAMP WITH TIME ZONE),
                         submitted_time = CAST(submitted_at AS TIMESTAMP WITH TIME ZONE);
ALTER TABLE darkroom_jobs DROP COLUMN received_at;
ALTER TABLE darkroom_jobs DROP COLUMN submitted_at;
ALTER TABLE darkroom_jobs RENAME COLUMN received_time TO received_at;
ALTER TABLE darkroom_jobs RENAME COLUMN submitted_time TO submitted_at;
CREATE INDEX darkroom_jobs_received ON darkroom_jobs (received_at);
