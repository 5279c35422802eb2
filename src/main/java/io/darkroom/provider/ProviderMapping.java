package io.darkroom.provider;

import io.darkroom.job.Job;
import io.darkroom.job.Reference;

/**
 * What a provider adds to Darkroom: how a planned job becomes that provider's request, and how its
 * answers read. Transport, retries, polling, deadlines and the ledger are shared and know no
 * provider by name; a new provider is one implementation of this, one simulator and catalog entries.
 * Darkroom finds implementations in this package and below, and builds each through its public
 * constructor taking a {@link ProviderContext}.
 */
public interface ProviderMapping {

    String name();

    /** True for a unified API that offers every model of the catalog: it can be the default provider. */
    default boolean servesWholeCatalog() {
        return false;
    }

    /** A reference this provider wants uploaded before the submit (for example, too large to send inline). */
    default boolean wantsUpload(Reference reference) {
        return false;
    }

    /** The upload of one reference; not billable, so safe to repeat. */
    default HttpCall upload(Reference reference, ProviderSettings settings) {
        throw new IllegalStateException(name() + " takes no uploads");
    }

    /** The location the provider gives the uploaded reference, or null when the upload failed transiently. */
    default String readUpload(Reference reference, HttpReply reply) {
        throw new IllegalStateException(name() + " takes no uploads");
    }

    /** The billable request that starts the job. */
    HttpCall submit(Job job, ProviderSettings settings);

    /** Reads the submit answer: finished outputs (sync APIs), a job to poll, or a failure. */
    ProviderStep readSubmit(Job job, HttpReply reply);

    /** The status request for a submitted job; by default a GET of the URL the provider returned. */
    default HttpCall poll(Job job, ProviderSettings settings) {
        return HttpCall.get(job.getPollUrl()).header("Authorization", "Bearer " + settings.apiKey());
    }

    /** Reads a status answer. Synchronous providers never reach this. */
    default ProviderStep readPoll(Job job, HttpReply reply) {
        throw new IllegalStateException(name() + " finishes at submit and has nothing to poll");
    }
}
