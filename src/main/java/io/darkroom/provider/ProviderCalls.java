package io.darkroom.provider;

import io.darkroom.job.ErrorCode;
import io.darkroom.job.Job;
import io.darkroom.job.JobFailure;
import io.darkroom.job.JobOutput;
import io.darkroom.job.JobState;
import io.darkroom.job.Reference;
import io.darkroom.job.RequestKind;
import io.darkroom.ledger.JobLedger;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The shared half of every provider conversation, called from the submit and poll routes: turns a
 * mapping's request into a camel-http message, reads the answer back through the mapping, and acts
 * on the classified step (schedule, retry, finish, fail) with every state change going to the ledger.
 */
public class ProviderCalls {

    public static final String JOB = "job";
    /** Exchange property: the failure a submit whose answer was lost ends in, unless the provider's history shows it. */
    public static final String LOST_SUBMIT = "lostSubmit";
    private static final Logger LOG = LoggerFactory.getLogger(ProviderCalls.class);

    private final ProviderDirectory directory;
    private final InFlightLimiter limiter;
    private final RequestBudget budget;
    private final PollSchedule schedule;
    private final JobLedger ledger;
    private final Clock clock;
    private final long deadlineMillis;
    private final int maxSubmitAttempts;
    private final int maxUploadAttempts;
    private final int maxDownloadAttempts;

    public ProviderCalls(ProviderDirectory directory, InFlightLimiter limiter, RequestBudget budget, PollSchedule schedule, JobLedger ledger,
                         Clock clock, long deadlineMillis, int maxUploadAttempts, int maxSubmitAttempts, int maxDownloadAttempts) {
        this.limiter = limiter;
        this.budget = budget;
        this.directory = directory;
        this.schedule = schedule;
        this.ledger = ledger;
        this.clock = clock;
        this.deadlineMillis = deadlineMillis;
        this.maxSubmitAttempts = maxSubmitAttempts;
        this.maxUploadAttempts = maxUploadAttempts;
        this.maxDownloadAttempts = maxDownloadAttempts;
    }

    private static Job job(Exchange exchange) {
        return exchange.getProperty(JOB, Job.class);
    }

    private ProviderMapping mapping(Job job) {
        return directory.mapping(job.getProvider());
    }

    private ProviderSettings settings(Job job) {
        return directory.settings(job.getProvider());
    }

    /**
     * How long the next request of this job waits: its schedule's delay, or longer when its
     * provider's request budget is taken until then (route template http-attempt).
     */
    public long waitBeforeRequest(Exchange exchange) {
        Job job = job(exchange);
        return budget.reserve(job.getProvider(), job.getNextPollDelayMillis());
    }

    // ---- uploads (before the submit) -------------------------------------------------------

    public boolean hasUploadToSend(Exchange exchange) {
        return nextUpload(job(exchange)) != null;
    }

    private Reference nextUpload(Job job) {
        ProviderMapping mapping = mapping(job);
        return job.getReferences().stream().filter(r -> r.getUploadedUrl() == null && mapping.wantsUpload(r)).findFirst().orElse(null);
    }

    public void prepareUpload(Exchange exchange) {
        Job job = job(exchange);
        send(exchange, mapping(job).upload(nextUpload(job), settings(job)));
    }

    public void readUpload(Exchange exchange) {
        Job job = job(exchange);
        Reference reference = nextUpload(job);
        HttpReply reply = reply(exchange, job, RequestKind.UPLOAD);
        String url = mapping(job).readUpload(reference, reply);
        if (url != null) {
            reference.setUploadedUrl(url);
            job.resetFailedAttempts(RequestKind.UPLOAD);
            job.setNextPollDelayMillis(0);
        } else {
            limitedRetry(job, RequestKind.UPLOAD, maxUploadAttempts, RetryAfter.millis(reply.header("Retry-After"), clock), "HTTP " + reply.status(),
                    uploadFailure(job));
        }
    }

    public void uploadNotAnswered(Exchange exchange) {
        limitedRetry(job(exchange), RequestKind.UPLOAD, maxUploadAttempts, null, "network: " + networkProblem(exchange), uploadFailure(job(exchange)));
    }

    // ---- submit ----------------------------------------------------------------------------

    /** Recorded before the request leaves, so a crash mid-submit is known afterwards. */
    public void beginSubmit(Exchange exchange) {
        Job job = job(exchange);
        job.setSubmittedAt(Instant.now(clock).toString()); // when the submit started; a lost submit is searched for from here
        job.setCalls(mapping(job).callsFor(job));
        job.setNextPollDelayMillis(0);
        job.resetFailedAttempts(RequestKind.SUBMIT);
        job.setDeadlineAtMillis(clock.millis() + deadlineMillis);
        ledger.transition(job, JobState.SUBMITTING);
    }

    public void prepareSubmit(Exchange exchange) {
        Job job = job(exchange);
        send(exchange, mapping(job).submit(job, settings(job)));
    }

    public void readSubmit(Exchange exchange) {
        Job job = job(exchange);
        HttpReply reply = reply(exchange, job, RequestKind.SUBMIT);
        ProviderStep step = mapping(job).readSubmit(job, reply);
        switch (step.kind()) {
            case IN_PROGRESS -> {
                if (job.getCalls() > 1 && anotherCallToSend(job, step.providerJobId())) {
                    return;
                }
                job.setProviderJobId(job.getCalls() > 1 ? job.getPredictions().get(0) : step.providerJobId());
                job.setPollUrl(job.getCalls() > 1 ? null : step.pollUrl());
                job.setSubmittedAt(Instant.now(clock).toString());
                job.resetFailedAttempts(RequestKind.POLL);
                job.setNextPollDelayMillis(schedule.nextPollDelay(job, null));
                ledger.transition(job, JobState.SUBMITTED);
                LOG.info("Job {} submitted to {} as {}", job.getId(), job.getProvider(), step.providerJobId());
            }
            case SUCCEEDED -> {
                if (job.getCalls() > 1) {
                    collect(job, step);
                    if (anotherCallToSend(job, step.providerJobId())) {
                        return;
                    }
                    step = collected(job);
                }
                job.setProviderJobId(step.providerJobId());
                complete(job, step);
            }
            case RETRY -> {
                if (reply.status() == 429) {
                    refusedForCapacity(job, step.retryAfterMillis());
                } else {
                    submitNotAccepted(job, step.retryAfterMillis(), step.message());
                }
            }
            case FAILED -> {
                if (step.errorCode() == ErrorCode.SUBMIT_UNKNOWN) {
                    answerLost(exchange, job, step.message());
                    return;
                }
                throw new JobFailure(step.errorCode(), step.message());
            }
        }
    }

    /**
     * A job whose model returns fewer outputs per call than asked is sent as several calls, each
     * billable on its own with its own idempotency key; they are polled one after the other and
     * delivered together. True while a call is still to be sent.
     */
    private boolean anotherCallToSend(Job job, String providerJobId) {
        job.getPredictions().add(providerJobId);
        if (job.getPredictions().size() >= job.getCalls()) {
            return false;
        }
        job.resetFailedAttempts(RequestKind.SUBMIT);
        job.setNextPollDelayMillis(0);
        ledger.record(job);
        LOG.info("Job {}: call {} of {} accepted by {} as {}", job.getId(), job.getPredictions().size(), job.getCalls(), job.getProvider(), providerJobId);
        return true;
    }

    private static void collect(Job job, ProviderStep step) {
        job.getCollectedOutputs().addAll(step.outputs());
        boolean first = job.getCollectedOutputs().size() == step.outputs().size();
        job.setCollectedCostUsd(step.costUsd() == null || !first && job.getCollectedCostUsd() == null ? null
                : (first ? 0 : job.getCollectedCostUsd()) + step.costUsd());
    }

    private static ProviderStep collected(Job job) {
        return ProviderStep.succeeded(job.getPredictions().get(0), new ArrayList<>(job.getCollectedOutputs()), job.getCollectedCostUsd());
    }

    // ---- a submit whose answer was lost: the provider's job history (route lost-submit-attempt) ----

    /**
     * The submit may have been created and billed, so it is never sent again; before the job is
     * given up as SUBMIT_UNKNOWN (with {@code failure} as its message), the route asks the
     * provider's own record of jobs, when it keeps one.
     */
    private void answerLost(Exchange exchange, Job job, String failure) {
        exchange.setProperty(LOST_SUBMIT, failure);
        job.setNextPollDelayMillis(0);
    }

    public void prepareLostSubmitSearch(Exchange exchange) {
        Job job = job(exchange);
        HttpCall search = mapping(job).findLostSubmit(job, settings(job));
        if (search == null) {
            throw lostSubmit(exchange); // this provider keeps no history to look in
        }
        send(exchange, search);
    }

    /** Found: the job is polled like any other. Not found (or not exactly once): SUBMIT_UNKNOWN. */
    public void readLostSubmitSearch(Exchange exchange) {
        Job job = job(exchange);
        String id = mapping(job).readLostSubmit(job, reply(exchange, job, RequestKind.POLL));
        if (id == null) {
            throw lostSubmit(exchange);
        }
        exchange.removeProperty(LOST_SUBMIT);
        job.setProviderJobId(id);
        job.setPollUrl(null);
        job.resetFailedAttempts(RequestKind.SUBMIT);
        job.setNextPollDelayMillis(schedule.nextPollDelay(job, null));
        ledger.transition(job, JobState.SUBMITTED);
        LOG.info("Job {}: the submit's answer was lost, but {} has it as {}; polling it", job.getId(), job.getProvider(), id);
    }

    public void lostSubmitSearchUnanswered(Exchange exchange) {
        Job job = job(exchange);
        LOG.warn("Job {}: the search for its lost submit failed ({})", job.getId(), networkProblem(exchange));
        throw lostSubmit(exchange);
    }

    private static JobFailure lostSubmit(Exchange exchange) {
        return new JobFailure(ErrorCode.SUBMIT_UNKNOWN, exchange.getProperty(LOST_SUBMIT, String.class));
    }

    /**
     * A 429 to a submit: the provider has as many of this account's jobs as it takes (Atlas says
     * nothing more, and sends no Retry-After). Never a failure: the job waits for a slot, and the
     * limiter learns the provider's capacity from it.
     */
    private void refusedForCapacity(Job job, Long retryAfterMillis) {
        if (limiter.refused(job)) {
            ledger.transition(job, JobState.PLANNED);
            LOG.info("Job {} refused by {} for capacity; it waits for a slot (limit now {})", job.getId(), job.getProvider(),
                    limiter.currentLimit(job.getProvider()));
            return;
        }
        if (schedule.isPastDeadline(job)) {
            throw new JobFailure(ErrorCode.PROVIDER_UNAVAILABLE, "Provider " + job.getProvider()
                    + " refused the job for capacity until the deadline, with no other job of Darkroom in flight there.");
        }
        int attempt = job.countFailedAttempt(RequestKind.SUBMIT);
        job.setNextPollDelayMillis(schedule.retryDelay(job, attempt, retryAfterMillis));
        LOG.info("Job {} refused by {} for capacity with nothing else in flight; trying again in {} ms", job.getId(),
                job.getProvider(), job.getNextPollDelayMillis());
    }

    /** The request never reached the provider (connection refused, DNS): safe to send again. */
    public void submitNotSent(Exchange exchange) {
        submitNotAccepted(job(exchange), null, "could not connect: " + networkProblem(exchange));
    }

    private void submitNotAccepted(Job job, Long retryAfterMillis, String why) {
        int attempt = job.countFailedAttempt(RequestKind.SUBMIT);
        if (attempt >= maxSubmitAttempts || schedule.isPastDeadline(job)) {
            throw new JobFailure(ErrorCode.PROVIDER_UNAVAILABLE,
                    "Provider " + job.getProvider() + " did not accept the job after " + attempt + " attempts (" + why + ").");
        }
        job.setNextPollDelayMillis(schedule.retryDelay(job, attempt, retryAfterMillis));
        LOG.info("Job {} not accepted by {} ({}); trying again in {} ms", job.getId(), job.getProvider(), why, job.getNextPollDelayMillis());
    }

    /** The request may have reached the provider but its answer was lost: never re-sent blindly. */
    public void submitOutcomeUnknown(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        forgetHeaders(exchange);
        Job job = job(exchange);
        String why = cause == null ? "unknown" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        answerLost(exchange, job, "The submit to " + job.getProvider() + " got no answer (" + why + "); it may have been accepted and "
                + "billed, and " + job.getProvider() + "'s job history did not show it, so it was not sent again.");
    }

    // ---- poll ------------------------------------------------------------------------------

    public void preparePoll(Exchange exchange) {
        Job job = job(exchange);
        job.setPolls(job.getPolls() + 1);
        send(exchange, mapping(job).poll(job, settings(job)));
    }

    public void readPoll(Exchange exchange) {
        Job job = job(exchange);
        ProviderStep step = mapping(job).readPoll(job, reply(exchange, job, RequestKind.POLL));
        switch (step.kind()) {
            case IN_PROGRESS -> {
                job.resetFailedAttempts(RequestKind.POLL);
                schedule.sawRunning(job);
                scheduleOrExpire(job, schedule.nextPollDelay(job, null));
            }
            case SUCCEEDED -> {
                if (job.getCalls() > 1) {
                    collect(job, step);
                    int next = job.getPredictions().indexOf(job.getProviderJobId()) + 1;
                    if (next > 0 && next < job.getPredictions().size()) {
                        job.setProviderJobId(job.getPredictions().get(next));
                        job.setPollUrl(null);
                        job.resetFailedAttempts(RequestKind.POLL);
                        scheduleOrExpire(job, schedule.nextPollDelay(job, null));
                        ledger.record(job);
                        return;
                    }
                    step = collected(job);
                }
                complete(job, step);
            }
            case RETRY -> pollRetry(job, step.retryAfterMillis(), step.message());
            case FAILED -> throw new JobFailure(step.errorCode(), step.message());
        }
    }

    /** A status request failed on the network: GETs are safe to repeat. */
    public void pollNotAnswered(Exchange exchange) {
        pollRetry(job(exchange), null, "network: " + networkProblem(exchange));
    }

    private void pollRetry(Job job, Long retryAfterMillis, String why) {
        int attempt = job.countFailedAttempt(RequestKind.POLL);
        LOG.debug("Job {} status request failed ({}); retrying", job.getId(), why);
        scheduleOrExpire(job, schedule.pollRetryDelay(job, attempt, retryAfterMillis));
    }

    private void scheduleOrExpire(Job job, long delay) {
        if (schedule.isPastDeadline(job)) {
            throw new JobFailure(ErrorCode.DEADLINE, "Job " + job.getProviderJobId() + " at " + job.getProvider()
                    + " was still running when the deadline passed (" + (deadlineMillis / 1000) + " s after submit, " + job.getPolls() + " polls).");
        }
        job.setNextPollDelayMillis(delay);
    }

    private void complete(Job job, ProviderStep step) {
        if (step.outputs().isEmpty()) {
            throw new JobFailure(ErrorCode.PROVIDER_PROTOCOL, "Provider " + job.getProvider() + " reported success but returned no images.");
        }
        List<JobOutput> outputs = new ArrayList<>();
        for (String source : step.outputs()) {
            JobOutput output = new JobOutput(outputs.size() + 1, isUrl(source) ? source : "inline");
            if (!isUrl(source)) {
                output.setBytes(decodeInline(source));
            }
            outputs.add(output);
        }
        job.setOutputs(outputs);
        if (job.getOutputsAsked() > outputs.size()) {
            job.setErrorCode(ErrorCode.PARTIAL_RESULT);
            job.setErrorMessage("The ticket asked for " + job.getOutputsAsked() + " outputs; " + job.getProvider() + " returned "
                    + outputs.size() + ". The " + outputs.size() + " received are delivered.");
            job.setErrorStage("poll");
            LOG.warn("Job {}: {}", job.getId(), job.getErrorMessage());
        }
        job.setActualCostUsd(step.costUsd());
        job.setCompletedAt(Instant.now(clock).toString());
        job.resetFailedAttempts(RequestKind.DOWNLOAD);
        job.setNextPollDelayMillis(0);
        schedule.sawFinished(job);
        ledger.transition(job, JobState.COMPLETED);
        LOG.info("Job {} completed at {} with {} output(s) after {} poll(s)", job.getId(), job.getProvider(), outputs.size(), job.getPolls());
    }

    private static boolean isUrl(String source) {
        return source.startsWith("http://") || source.startsWith("https://");
    }

    private static byte[] decodeInline(String source) {
        String base64 = source.startsWith("data:") ? source.substring(source.indexOf(',') + 1) : source;
        try {
            return Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new JobFailure(ErrorCode.PROVIDER_PROTOCOL, "An output came back as neither a URL nor valid base64.");
        }
    }

    // ---- outputs ---------------------------------------------------------------------------

    public boolean hasOutputToFetch(Exchange exchange) {
        return job(exchange).getOutputs().stream().anyMatch(o -> !o.isFetched());
    }

    public void prepareDownload(Exchange exchange) {
        Job job = job(exchange);
        JobOutput next = job.getOutputs().stream().filter(o -> !o.isFetched()).findFirst().orElseThrow();
        if (!isUrl(next.getSource())) {
            throw new JobFailure(ErrorCode.OUTPUT_UNAVAILABLE, "Output " + next.getIndex() + " of job " + job.getId()
                    + " was returned inline and is no longer held; the provider's result must be fetched again.");
        }
        // result URLs are public and may sit on another host: never send the provider key with them
        send(exchange, HttpCall.get(next.getSource()));
    }

    public void readDownload(Exchange exchange) {
        Job job = job(exchange);
        HttpReply reply = reply(exchange, job, RequestKind.DOWNLOAD);
        JobOutput next = job.getOutputs().stream().filter(o -> !o.isFetched()).findFirst().orElseThrow();
        int status = reply.status();
        if (status == 200 && reply.body().length > 0) {
            next.setBytes(reply.body());
            job.setNextPollDelayMillis(0);
            job.resetFailedAttempts(RequestKind.DOWNLOAD);
            return;
        }
        boolean transientFailure = status == 429 || status == 502 || status == 503 || status == 504 || status == 500;
        if (transientFailure) {
            limitedRetry(job, RequestKind.DOWNLOAD, maxDownloadAttempts, RetryAfter.millis(reply.header("Retry-After"), clock), "HTTP " + status,
                    downloadFailure(job));
            return;
        }
        throw new JobFailure(ErrorCode.OUTPUT_UNAVAILABLE, "Output " + next.getIndex() + " of job " + job.getId()
                + " could not be downloaded: HTTP " + status + (status == 404 || status == 410 ? " (the result link has expired or never existed)" : "") + ".");
    }

    public void downloadNotAnswered(Exchange exchange) {
        limitedRetry(job(exchange), RequestKind.DOWNLOAD, maxDownloadAttempts, null, "network: " + networkProblem(exchange),
                downloadFailure(job(exchange)));
    }

    /** Repeats a request that is safe to repeat (upload, download) a bounded number of times. */
    private void limitedRetry(Job job, RequestKind kind, int maxAttempts, Long retryAfterMillis, String why, JobFailure failure) {
        int attempt = job.countFailedAttempt(kind);
        if (attempt >= maxAttempts) {
            throw new JobFailure(failure.code(), failure.getMessage() + " after " + attempt + " attempts (" + why + ").");
        }
        job.setNextPollDelayMillis(schedule.retryDelay(job, attempt, retryAfterMillis));
    }

    private static JobFailure uploadFailure(Job job) {
        return new JobFailure(ErrorCode.PROVIDER_UNAVAILABLE, "A reference of job " + job.getId() + " could not be uploaded to " + job.getProvider());
    }

    private static JobFailure downloadFailure(Job job) {
        return new JobFailure(ErrorCode.OUTPUT_UNAVAILABLE, "The result of job " + job.getId() + " could not be downloaded");
    }

    // ---- camel-http plumbing ---------------------------------------------------------------

    private static void send(Exchange exchange, HttpCall call) {
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_METHOD, call.method());
        message.setHeader(Exchange.HTTP_URI, call.url());
        call.headers().forEach(message::setHeader);
        message.setBody(call.entity() != null ? call.entity() : call.body());
    }

    /** The answer, read off the camel-http message; it also tells the provider's request budget how it went. */
    private HttpReply reply(Exchange exchange, Job job, RequestKind kind) {
        Message message = exchange.getMessage();
        Integer status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        byte[] body = message.getBody(byte[].class);
        java.util.Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        message.getHeaders().forEach((name, value) -> {
            if (value != null && !name.equalsIgnoreCase("Authorization") && !name.equalsIgnoreCase("x-key")) {
                headers.put(name, value.toString());
            }
        });
        forgetHeaders(exchange);
        int code = status == null ? 0 : status;
        // a 429 to a submit is about capacity (the in-flight limiter's business), not request rate
        if (!(kind == RequestKind.SUBMIT && code == 429)) {
            budget.answered(job.getProvider(), code);
        }
        return new HttpReply(code, body, headers::get);
    }

    /** What went wrong with a request that got no answer; also drops the request's headers. */
    private static String networkProblem(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        forgetHeaders(exchange);
        return cause == null ? "unknown" : cause.getMessage();
    }

    /** Drops request headers (the key among them) so nothing later can log or forward them. */
    private static void forgetHeaders(Exchange exchange) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setBody(null);
    }
}
