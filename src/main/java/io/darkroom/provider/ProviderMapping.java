package io.darkroom.provider;

import io.darkroom.job.Job;

/**
 * What a provider adds to Darkroom: how a planned job becomes that provider's request, and how its
 * answers read. Transport, retries, polling, deadlines and the ledger are shared and know no
 * provider by name; a new provider is one implementation of this, one simulator and catalog entries.
 */
public interface ProviderMapping {

    String name();

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
