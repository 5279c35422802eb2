package io.darkroom.deliver;

import io.darkroom.intake.MailSpool;
import io.darkroom.job.Job;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Ends a job that came by mail. The mail itself was already marked (or moved) in the mailbox when
 * it was read; what is left is its spool folder, and for a failed job the answer to the sender
 * with the error sentence (route reply-failure). A reply that cannot be sent is logged, not
 * retried: the mail stays in the mailbox, and the ledger has the error.
 */
public class MailArchiver implements SourceArchiver {

    private static final Logger LOG = LoggerFactory.getLogger(MailArchiver.class);

    private final MailSpool spool;
    private final ProducerTemplate producer;

    public MailArchiver(MailSpool spool, ProducerTemplate producer) {
        this.spool = spool;
        this.producer = producer;
    }

    @Override
    public void done(Job job) throws Exception {
        spool.remove(job);
    }

    @Override
    public void failed(Job job) throws Exception {
        answer("direct:reply-failure", job, null);
        spool.remove(job);
    }

    @Override
    public void note(Job job, String outcome, Map<String, Object> note) throws Exception {
        answer("direct:reply-note", job, note);
        spool.remove(job);
    }

    private void answer(String route, Job job, Map<String, Object> note) {
        if (job.getOrigin().get("sender") == null) {
            return;
        }
        Exchange sent = producer.send(route, exchange -> {
            exchange.setProperty("job", job);
            exchange.setProperty("note", note);
            exchange.getMessage().setBody(job);
        });
        if (sent.getException() != null) {
            LOG.error("Job {}: the answer to {} could not be sent: {}", job.getId(), job.getOrigin().get("sender"), sent.getException().toString());
        } else {
            LOG.info("Job {}: answered {} ({})", job.getId(), job.getOrigin().get("sender"), job.getErrorCode() != null ? job.getErrorCode() : "note");
        }
    }
}
