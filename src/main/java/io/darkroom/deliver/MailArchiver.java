package io.darkroom.deliver;

import io.darkroom.intake.MailSpool;
import io.darkroom.job.Job;

import java.util.Map;

/**
 * Ends a job that came by mail. The mail itself was already marked (or moved) in the mailbox when
 * it was read, and the sender is answered by the quarantine and duplicate routes; what is left is
 * the job's spool folder.
 */
public class MailArchiver implements SourceArchiver {

    private final MailSpool spool;

    public MailArchiver(MailSpool spool) {
        this.spool = spool;
    }

    @Override
    public void done(Job job) throws Exception {
        spool.remove(job);
    }

    @Override
    public void failed(Job job) throws Exception {
        spool.remove(job);
    }

    @Override
    public void note(Job job, String outcome, Map<String, Object> note) throws Exception {
        spool.remove(job);
    }
}
