package io.darkroom.job;

/**
 * Stable error codes written to {@code failed/<ticket>.error.json}. The code never changes once
 * published; the hint is the sentence a user reads to know what to do next.
 */
public enum ErrorCode {
    TICKET_INVALID("Fix the ticket: it must be a text prompt, or JSON/YAML with the fields shown in the README."),
    FILE_NAME_INVALID("Rename the file with a name in UTF-8 (letters, digits, '-', '_'), then drop it again."),
    PROMPT_MISSING("Write a prompt in the ticket, or give the folder a _defaults.yaml with a prompt."),
    REFERENCE_MISSING("Drop the named reference image next to the ticket, or remove it from the ticket's references."),
    REFERENCE_OUTSIDE_FOLDER("Reference images must sit in the ticket's own folder: name them without '..' or absolute paths."),
    IMAGE_UNSUPPORTED("Use a PNG, JPEG or WebP image; the file's bytes are not one of those, whatever its name says."),
    IMAGE_CORRUPT("The image is damaged or was cut off while copying: export or copy it again."),
    IMAGE_TOO_LARGE("Make the image smaller (bytes or pixels) than the configured limits, then drop it again."),
    USE_CASE_UNKNOWN("Use one of the use cases text, character, brand, variants, hero, fast or auto."),
    MODEL_UNKNOWN("Name a model from config/models.yaml, or leave 'model' out to let the routing table choose."),
    MODEL_LIMIT("The request does not fit the model's limits (reference count or text-only): send fewer references or choose another model or use case."),
    MODEL_SCHEMA("The provider's published schema of the model no longer takes this request (nothing was sent or billed): run 'darkroom models' to see what changed, then update config/models.yaml or choose another model."),
    BUDGET_EXCEEDED("The estimated cost is above the budget: raise budgetUsd or the configured budget, or ask for fewer variants."),
    PROVIDER_NOT_CONFIGURED("Set the provider's API key (see the README's provider table) or route the use case to another provider."),
    AUTH_FAILED("The provider refused the API key: check the key in the environment."),
    OUT_OF_CREDIT("The provider account has no credit or quota left: top it up, then drop the ticket again."),
    MODERATED("The provider's safety system refused this request: change the prompt or the reference images."),
    PROVIDER_REJECTED("The provider rejected the request as invalid: check the ticket's size, format and options for this model."),
    PROVIDER_FAILED("The provider reported that the job failed: drop the ticket again later, or try another model."),
    PROVIDER_UNAVAILABLE("The provider could not be reached or kept failing: drop the ticket again later."),
    PROVIDER_PROTOCOL("The provider answered in a way Darkroom does not understand: report this with the job id."),
    DEADLINE("The job did not finish before the configured deadline: raise darkroom.poll.deadline or try a faster model."),
    OUTPUT_UNAVAILABLE("The provider finished but its result could not be downloaded: drop the ticket again."),
    SUBMIT_UNKNOWN("Darkroom stopped while the provider was answering the submit, so it cannot tell if the job was accepted (and billed). Check the provider's dashboard; drop the ticket with 'rerun: true' to send it again."),
    PARTIAL_RESULT("The provider returned fewer images than the ticket asked for; those that came are delivered. Drop a ticket for the missing ones (ask for fewer variants) if you need them."),
    DELIVERY_FAILED("The outputs could not be written to a destination: check that destination, then drop the ticket again (or press Redeliver in the console): the kept outputs are delivered without paying again."),
    INTERNAL("Darkroom hit an unexpected error: report this with the job id and the log.");

    private final String hint;

    ErrorCode(String hint) {
        this.hint = hint;
    }

    public String hint() {
        return hint;
    }
}
