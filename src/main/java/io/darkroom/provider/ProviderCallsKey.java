package io.darkroom.provider;

import io.darkroom.job.Job;

/** The idempotency key of a job's billable call: the job id, and for its later calls the call's number too. */
public final class ProviderCallsKey {

    private ProviderCallsKey() {
    }

    public static String of(Job job) {
        return job.getCallNumber() == 1 ? job.getId() : job.getId() + "-" + job.getCallNumber();
    }
}
