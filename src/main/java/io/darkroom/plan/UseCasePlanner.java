package io.darkroom.plan;

import io.darkroom.job.ErrorCode;
import io.darkroom.job.Job;
import io.darkroom.job.JobFailure;
import io.darkroom.provider.ProviderDirectory;
import io.darkroom.ticket.Ticket;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Chooses use case, model and provider for a job: the ticket's explicit choices first, then the
 * routing table, keeping within the model's limits and falling back when the first model cannot
 * take the job. Fails with a clear reason when no model fits.
 */
public class UseCasePlanner {

    private static final Pattern QUOTED_TEXT = Pattern.compile("\"[^\"]{1,200}\"|“[^”]{1,200}”|«[^»]{1,200}»");

    private final ModelCatalog catalog;
    private final RoutingTable routing;
    private final ProviderDirectory providers;

    public UseCasePlanner(ModelCatalog catalog, RoutingTable routing, ProviderDirectory providers) {
        this.catalog = catalog;
        this.routing = routing;
        this.providers = providers;
    }

    public Plan plan(Job job) {
        Ticket ticket = job.getTicket();
        int references = job.getReferences().size();
        String asked = ticket.getUseCase() == null ? "auto" : ticket.getUseCase();
        String useCase = asked.equals("auto") ? detect(ticket, references) : asked;
        String why = asked.equals("auto") ? "auto: " + autoReason(ticket, references, useCase) : "ticket asked for use case " + useCase;
        UseCaseRoute route = routing.route(useCase);
        if (route == null) {
            throw new JobFailure(ErrorCode.USE_CASE_UNKNOWN, "Use case '" + useCase + "' has no row in config/routing.yaml.");
        }
        ModelSpec model;
        if (ticket.getModel() != null) {
            model = catalog.find(ticket.getModel());
            if (model == null) {
                throw new JobFailure(ErrorCode.MODEL_UNKNOWN, "Model '" + ticket.getModel() + "' is not in config/models.yaml.");
            }
            String problem = model.limitProblem(references);
            if (problem != null) {
                throw new JobFailure(ErrorCode.MODEL_LIMIT, problem + ".");
            }
            why += "; ticket chose model " + model.getId();
        } else {
            model = required(route.getModel(), useCase);
            String problem = model.limitProblem(references);
            if (problem != null) {
                ModelSpec fallback = route.getFallback() == null ? null : required(route.getFallback(), useCase);
                String fallbackProblem = fallback == null ? "no fallback is configured" : fallback.limitProblem(references);
                if (fallbackProblem != null) {
                    throw new JobFailure(ErrorCode.MODEL_LIMIT, problem + "; and the fallback: " + fallbackProblem + ".");
                }
                why += "; " + problem + ", so the fallback " + fallback.getId() + " runs it";
                model = fallback;
            } else {
                why += "; routing table: " + (route.getWhy() == null ? model.getId() : route.getWhy());
            }
        }
        String provider = providers.providerFor(route.getProvider(), model);
        String providerModel = providers.isOffline(provider) ? model.getId() : model.getProviders().get(provider).getModel();
        double estimate = model.getPriceUsd() * ticket.variantCount();
        return new Plan(useCase, model.getId(), provider, providerModel, why, round(estimate));
    }

    private ModelSpec required(String id, String useCase) {
        ModelSpec spec = catalog.find(id);
        if (spec == null) {
            throw new JobFailure(ErrorCode.MODEL_UNKNOWN,
                    "config/routing.yaml sends use case " + useCase + " to model '" + id + "', which is not in config/models.yaml.");
        }
        return spec;
    }

    String detect(Ticket ticket, int references) {
        if (references == 0) {
            return "hero";
        }
        if (ticket.getText() != null || QUOTED_TEXT.matcher(ticket.getPrompt()).find()) {
            return "text";
        }
        String prompt = ticket.getPrompt().toLowerCase(Locale.ROOT);
        boolean characterPhrase = routing.getAuto().getCharacterPhrases().stream()
                .anyMatch(phrase -> prompt.contains(phrase.toLowerCase(Locale.ROOT)));
        if (references > 1 || characterPhrase) {
            return "character";
        }
        if (ticket.variantCount() > routing.getAuto().getVariantsThreshold()) {
            return "variants";
        }
        return "brand";
    }

    private String autoReason(Ticket ticket, int references, String useCase) {
        return switch (useCase) {
            case "hero" -> "no reference images";
            case "text" -> ticket.getText() != null ? "the ticket has text to render" : "the prompt quotes text to render";
            case "character" -> references > 1 ? references + " reference images" : "the prompt asks for the same character";
            case "variants" -> ticket.variantCount() + " variants wanted";
            default -> "one reference, no text";
        };
    }

    private static double round(double usd) {
        return Math.round(usd * 10000.0) / 10000.0;
    }
}
