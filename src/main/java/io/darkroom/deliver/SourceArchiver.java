package io.darkroom.deliver;

import io.darkroom.job.Job;

import java.util.Map;

/** How one intake (folder, S3, mail) puts a job's inputs away once the job's outcome is durable. */
public interface SourceArchiver {

    /** Delivered: inputs to done. */
    void done(Job job) throws Exception;

    /** Failed or held: inputs aside, with an error document saying why. */
    void failed(Job job) throws Exception;

    /** Not run because an earlier job already handled the same input: inputs away, with a note. */
    void note(Job job, String outcome, Map<String, Object> note) throws Exception;
}
