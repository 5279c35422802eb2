package io.darkroom.job;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.darkroom.plan.Plan;
import io.darkroom.ticket.Ticket;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One ticket and its references on their way through the pipeline. The whole object is what the
 * ledger stores, so a restart can pick a job up where it stood.
 */
public class Job {
    private String id;
    private String dedupeKey;
    private JobState state = JobState.RECEIVED;

    /** folder, s3 or mail: decides how inputs are archived and where results go by default. */
    private String source = "folder";
    /** Sub folder (or key prefix) the ticket came from, relative to the intake root; "" for the root. */
    private String sourceFolder = "";
    private String ticketName;
    /** Every input file of the job (ticket and references), absolute paths; archived together. */
    private List<String> inputs = new ArrayList<>();
    /** Device and inode of each input file at claim time, so an input renamed while its job runs is still archived. */
    private Map<String, String> inputIdentities = new LinkedHashMap<>();
    /** Source-specific facts (bucket and keys, mail sender and message id). */
    private Map<String, String> origin = new LinkedHashMap<>();

    private Ticket ticket;
    private List<Reference> references = new ArrayList<>();
    /** Set at intake when the ticket itself could not be used; accept turns it into the failure. */
    private ErrorCode intakeError;
    private String intakeErrorMessage;

    private Plan plan;
    private List<String> destinations = new ArrayList<>();
    /** Destinations that could not be served in the end, with the reason (e.g. a webhook that kept failing). */
    private Map<String, String> failedDestinations = new LinkedHashMap<>();
    /** Destinations that already hold the outputs; a redelivery skips them. */
    private List<String> deliveredDestinations = new ArrayList<>();

    private String providerJobId;
    private String pollUrl;
    private int polls;
    /** Failed attempts in a row, per kind of request (reset when one of that kind succeeds). */
    private Map<RequestKind, Integer> failedAttempts = new java.util.EnumMap<>(RequestKind.class);
    /** When a poll last found the job still running (epoch ms); null until one does. */
    private Long seenRunningAtMillis;
    private long nextPollDelayMillis;
    private long deadlineAtMillis;
    private Double actualCostUsd;
    private List<JobOutput> outputs = new ArrayList<>();
    /** What the ticket asked and what was sent to the provider after fitting it to the model (for the manifest). */
    private Map<String, Object> request = new LinkedHashMap<>();
    /** Outputs the ticket asked for; fewer received is a partial result. */
    private int outputsAsked;
    /** Billable calls the job needs (several when the model returns one output per call); each prediction's id. */
    private int calls = 1;
    private List<String> predictions = new ArrayList<>();
    /** Outputs (and their cost) of the predictions already finished, while later ones run. */
    private List<String> collectedOutputs = new ArrayList<>();
    private Double collectedCostUsd;

    private String receivedAt;
    private String submittedAt;
    private String completedAt;
    private String deliveredAt;

    private ErrorCode errorCode;
    private String errorMessage;
    private String errorStage;
    private String earlierJobId;
    /** The Darkroom node that holds the job (cluster mode), or that last held it. */
    private String node;

    @JsonIgnore
    private boolean holdsProviderSlot;
    /** Inputs shared with other running jobs that this job let go of when it ended, leaving them to the last one. */
    @JsonIgnore
    private java.util.Set<String> leftEarly = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public String getNode() { return node; }
    public void setNode(String node) { this.node = node; }
    public String getId() { return id; }
    public void setId(String id) { this.id = id; }
    public String getDedupeKey() { return dedupeKey; }
    public void setDedupeKey(String dedupeKey) { this.dedupeKey = dedupeKey; }
    public JobState getState() { return state; }
    public void setState(JobState state) { this.state = state; }
    public String getSource() { return source; }
    public void setSource(String source) { this.source = source; }
    public String getSourceFolder() { return sourceFolder; }
    public void setSourceFolder(String sourceFolder) { this.sourceFolder = sourceFolder; }
    public String getTicketName() { return ticketName; }
    public void setTicketName(String ticketName) { this.ticketName = ticketName; }
    public List<String> getInputs() { return inputs; }
    public void setInputs(List<String> inputs) { this.inputs = inputs; }
    public Map<String, String> getInputIdentities() { return inputIdentities; }
    public void setInputIdentities(Map<String, String> inputIdentities) { this.inputIdentities = inputIdentities; }
    public Map<String, String> getOrigin() { return origin; }
    public void setOrigin(Map<String, String> origin) { this.origin = origin; }
    public Ticket getTicket() { return ticket; }
    public void setTicket(Ticket ticket) { this.ticket = ticket; }
    public List<Reference> getReferences() { return references; }
    public void setReferences(List<Reference> references) { this.references = references; }
    public ErrorCode getIntakeError() { return intakeError; }
    public void setIntakeError(ErrorCode intakeError) { this.intakeError = intakeError; }
    public String getIntakeErrorMessage() { return intakeErrorMessage; }
    public void setIntakeErrorMessage(String intakeErrorMessage) { this.intakeErrorMessage = intakeErrorMessage; }
    public Plan getPlan() { return plan; }
    public void setPlan(Plan plan) { this.plan = plan; }
    public List<String> getDestinations() { return destinations; }
    public void setDestinations(List<String> destinations) { this.destinations = destinations; }
    public Map<String, String> getFailedDestinations() { return failedDestinations; }
    public void setFailedDestinations(Map<String, String> failedDestinations) { this.failedDestinations = failedDestinations; }
    public List<String> getDeliveredDestinations() { return deliveredDestinations; }
    public void setDeliveredDestinations(List<String> deliveredDestinations) { this.deliveredDestinations = deliveredDestinations; }
    public String getProviderJobId() { return providerJobId; }
    public void setProviderJobId(String providerJobId) { this.providerJobId = providerJobId; }
    public String getPollUrl() { return pollUrl; }
    public void setPollUrl(String pollUrl) { this.pollUrl = pollUrl; }
    public int getPolls() { return polls; }
    public void setPolls(int polls) { this.polls = polls; }
    public Long getSeenRunningAtMillis() { return seenRunningAtMillis; }
    public void setSeenRunningAtMillis(Long seenRunningAtMillis) { this.seenRunningAtMillis = seenRunningAtMillis; }
    public Map<RequestKind, Integer> getFailedAttempts() { return failedAttempts; }
    public void setFailedAttempts(Map<RequestKind, Integer> failedAttempts) { this.failedAttempts = new java.util.EnumMap<>(RequestKind.class);
        this.failedAttempts.putAll(failedAttempts); }

    /** Counts one more failed attempt of this kind and returns how many there have been in a row. */
    public int countFailedAttempt(RequestKind kind) {
        return failedAttempts.merge(kind, 1, Integer::sum);
    }

    public void resetFailedAttempts(RequestKind kind) {
        failedAttempts.remove(kind);
    }
    public long getNextPollDelayMillis() { return nextPollDelayMillis; }
    public void setNextPollDelayMillis(long nextPollDelayMillis) { this.nextPollDelayMillis = nextPollDelayMillis; }
    public long getDeadlineAtMillis() { return deadlineAtMillis; }
    public void setDeadlineAtMillis(long deadlineAtMillis) { this.deadlineAtMillis = deadlineAtMillis; }
    public Double getActualCostUsd() { return actualCostUsd; }
    public void setActualCostUsd(Double actualCostUsd) { this.actualCostUsd = actualCostUsd; }
    public List<JobOutput> getOutputs() { return outputs; }
    public void setOutputs(List<JobOutput> outputs) { this.outputs = outputs; }
    public Map<String, Object> getRequest() { return request; }
    public void setRequest(Map<String, Object> request) { this.request = request; }
    public int getCalls() { return calls; }
    public void setCalls(int calls) { this.calls = calls; }
    public List<String> getPredictions() { return predictions; }
    public void setPredictions(List<String> predictions) { this.predictions = predictions; }
    public List<String> getCollectedOutputs() { return collectedOutputs; }
    public void setCollectedOutputs(List<String> collectedOutputs) { this.collectedOutputs = collectedOutputs; }
    public Double getCollectedCostUsd() { return collectedCostUsd; }
    public void setCollectedCostUsd(Double collectedCostUsd) { this.collectedCostUsd = collectedCostUsd; }
    /** Which of the job's calls is being sent now, 1 for the first. */
    @JsonIgnore
    public int getCallNumber() { return predictions.size() + 1; }
    public int getOutputsAsked() { return outputsAsked; }
    public void setOutputsAsked(int outputsAsked) { this.outputsAsked = outputsAsked; }
    public String getReceivedAt() { return receivedAt; }
    public void setReceivedAt(String receivedAt) { this.receivedAt = receivedAt; }
    public String getSubmittedAt() { return submittedAt; }
    public void setSubmittedAt(String submittedAt) { this.submittedAt = submittedAt; }
    public String getCompletedAt() { return completedAt; }
    public void setCompletedAt(String completedAt) { this.completedAt = completedAt; }
    public String getDeliveredAt() { return deliveredAt; }
    public void setDeliveredAt(String deliveredAt) { this.deliveredAt = deliveredAt; }
    public ErrorCode getErrorCode() { return errorCode; }
    public void setErrorCode(ErrorCode errorCode) { this.errorCode = errorCode; }
    public String getErrorMessage() { return errorMessage; }
    public void setErrorMessage(String errorMessage) { this.errorMessage = errorMessage; }
    public String getErrorStage() { return errorStage; }
    public void setErrorStage(String errorStage) { this.errorStage = errorStage; }
    public String getEarlierJobId() { return earlierJobId; }
    public void setEarlierJobId(String earlierJobId) { this.earlierJobId = earlierJobId; }
    @JsonIgnore
    public java.util.Set<String> getLeftEarly() { return leftEarly; }
    @JsonIgnore
    public boolean isHoldsProviderSlot() { return holdsProviderSlot; }
    @JsonIgnore
    public void setHoldsProviderSlot(boolean holdsProviderSlot) { this.holdsProviderSlot = holdsProviderSlot; }

    @JsonIgnore
    public String getProvider() {
        return plan == null ? null : plan.getProvider();
    }
}
