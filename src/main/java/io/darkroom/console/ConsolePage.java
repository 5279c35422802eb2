package io.darkroom.console;

import io.darkroom.job.ErrorCode;
import io.darkroom.job.Job;
import io.darkroom.job.JobOutput;
import io.darkroom.job.JobState;
import io.darkroom.job.Reference;
import io.darkroom.ledger.JobLedger;
import io.darkroom.plan.BudgetGuard;
import org.apache.camel.Header;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The console's one page, rendered on the server: today's spend against the daily budget, the jobs
 * (filtered by state, use case and day) each with its reference and result thumbnails, prompt,
 * model and why, costs, timings, destinations and, for a failure, the code, message and hint; the
 * actions rerun, redeliver and release. A few lines of script refresh the list in place.
 */
public class ConsolePage {

    static final int MAX_JOBS = 300;
    private static final List<String> USE_CASES = List.of("text", "character", "brand", "variants", "hero", "fast");

    private final JobLedger ledger;
    private final BudgetGuard budget;

    public ConsolePage(JobLedger ledger, BudgetGuard budget) {
        this.ledger = ledger;
        this.budget = budget;
    }

    public String render(@Header("state") String state, @Header("useCase") String useCase, @Header("day") String day,
                         @Header("message") String message) {
        List<Job> all = ledger.all(MAX_JOBS);
        List<Job> shown = all.stream()
                .filter(job -> blank(state) || job.getState().name().equals(state))
                .filter(job -> blank(useCase) || (job.getPlan() != null && useCase.equals(job.getPlan().getUseCase())))
                .filter(job -> blank(day) || (job.getReceivedAt() != null && job.getReceivedAt().startsWith(day)))
                .toList();
        StringBuilder html = new StringBuilder(16_384);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Darkroom</title>")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<style>").append(STYLE).append("</style></head><body>\n");
        StringBuilder summary = new StringBuilder();
        summary(summary, all);
        html.append("<header><h1>Darkroom</h1>").append(versioned("summary", "section", summary)).append("</header>\n");
        if (!blank(message)) {
            html.append("<p class=\"message\">").append(esc(message)).append("</p>\n");
        }
        filters(html, state, useCase, day, all);
        StringBuilder jobs = new StringBuilder();
        if (shown.isEmpty()) {
            jobs.append("<p class=\"empty\">No jobs").append(blank(state) && blank(useCase) && blank(day) ? " yet: drop a ticket and its images into the inbox." : " match these filters.").append("</p>");
        }
        for (Job job : shown) {
            job(jobs, job);
        }
        html.append(versioned("jobs", "main", jobs));
        html.append("\n<script>").append(SCRIPT).append("</script>\n</body></html>\n");
        return html.toString();
    }

    /**
     * A section with a version (the hash of its content): the page's script swaps a section only
     * when the server's version changed, so what the browser did to it (a missing image) stays.
     */
    private static String versioned(String id, String tag, CharSequence content) {
        return "<" + tag + " id=\"" + id + "\" data-version=\"" + Integer.toHexString(content.toString().hashCode()) + "\">" + content
                + "</" + tag + ">\n";
    }

    private void summary(StringBuilder html, List<Job> all) {
        double spent = budget.spentToday();
        double perDay = budget.perDayUsd();
        html.append("<p class=\"spend\">Today's spend <strong id=\"spend-today\">").append(usd(spent))
                .append("</strong> of ").append(perDay > 0 ? "<strong id=\"budget-day\">" + usd(perDay) + "</strong> daily budget" : "no daily limit");
        if (perDay > 0) {
            int percent = (int) Math.min(100, Math.round(spent * 100 / perDay));
            html.append(" <meter min=\"0\" max=\"100\" value=\"").append(percent).append("\">").append(percent).append("%</meter>");
        }
        html.append("</p><p class=\"counts\">");
        Map<JobState, Integer> counts = new EnumMap<>(JobState.class);
        all.forEach(job -> counts.merge(job.getState(), 1, Integer::sum));
        counts.forEach((state, n) -> html.append("<span class=\"state ").append(state).append("\">").append(state).append(' ').append(n)
                .append("</span> "));
        html.append("</p>");
    }

    private static void filters(StringBuilder html, String state, String useCase, String day, List<Job> all) {
        html.append("<form class=\"filters\" method=\"get\" action=\"/\">State <select name=\"state\"><option value=\"\">any</option>");
        for (JobState s : JobState.values()) {
            html.append(option(s.name(), state));
        }
        html.append("</select> Use case <select name=\"useCase\"><option value=\"\">any</option>");
        for (String u : USE_CASES) {
            html.append(option(u, useCase));
        }
        html.append("</select> Day <select name=\"day\"><option value=\"\">any</option>");
        TreeSet<String> days = new TreeSet<>(java.util.Comparator.reverseOrder());
        all.stream().filter(job -> job.getReceivedAt() != null && job.getReceivedAt().length() >= 10)
                .forEach(job -> days.add(job.getReceivedAt().substring(0, 10)));
        days.forEach(d -> html.append(option(d, day)));
        html.append("</select> <button type=\"submit\">Filter</button></form>\n");
    }

    private static String option(String value, String selected) {
        return "<option" + (value.equals(selected) ? " selected" : "") + ">" + esc(value) + "</option>";
    }

    private static void job(StringBuilder html, Job job) {
        String id = esc(job.getId());
        String ticket = job.getTicketName() != null ? job.getTicketName()
                : job.getReferences().isEmpty() ? job.getId() : job.getReferences().get(0).getName();
        html.append("<article class=\"job\" id=\"job-").append(id).append("\" data-job=\"").append(id).append("\" data-state=\"")
                .append(job.getState()).append("\" data-ticket=\"").append(esc(ticket)).append("\">\n");
        html.append("<h2><span class=\"state ").append(job.getState()).append("\">").append(job.getState()).append("</span> ")
                .append(esc(job.getSourceFolder().isEmpty() ? ticket : job.getSourceFolder() + "/" + ticket))
                .append(" <small>").append(id).append(" · ").append(esc(job.getSource())).append("</small></h2>\n");

        html.append("<div class=\"images\"><div class=\"references\">");
        List<Reference> references = job.getReferences();
        for (int i = 0; i < references.size(); i++) {
            html.append("<figure><img class=\"reference\" loading=\"lazy\" src=\"/thumbnails/").append(id).append("/reference-").append(i)
                    .append(".png\" onerror=\"this.replaceWith(Object.assign(document.createElement('span'),{className:'none',textContent:'no preview'}))\" alt=\"reference ").append(esc(references.get(i).getName())).append("\"><figcaption>")
                    .append(esc(references.get(i).getName())).append("</figcaption></figure>");
        }
        if (references.isEmpty()) {
            html.append("<p class=\"none\">no reference</p>");
        }
        html.append("</div><div class=\"arrow\">→</div><div class=\"results\">");
        List<JobOutput> outputs = job.getOutputs();
        for (int i = 0; i < outputs.size(); i++) {
            if (outputs.get(i).getFileName() == null) {
                continue;
            }
            html.append("<figure><img class=\"result\" loading=\"lazy\" src=\"/thumbnails/").append(id).append("/result-").append(i)
                    .append(".png\" alt=\"result ").append(esc(outputs.get(i).getFileName())).append("\"><figcaption>")
                    .append(esc(outputs.get(i).getFileName())).append("</figcaption></figure>");
        }
        if (job.getState() != JobState.DELIVERED) {
            html.append("<p class=\"none\">").append(job.getState().isFinal() ? "no result" : "in progress…").append("</p>");
        }
        html.append("</div></div>\n<dl>");
        if (job.getTicket() != null && job.getTicket().getPrompt() != null) {
            row(html, "Prompt", "prompt", esc(job.getTicket().getPrompt()));
        }
        if (job.getPlan() != null) {
            row(html, "Model", "model", esc(job.getPlan().getModel()) + " <span class=\"muted\">(" + esc(job.getPlan().getUseCase()) + ", via "
                    + esc(job.getPlan().getProvider()) + ")</span>");
            row(html, "Why", "why", esc(job.getPlan().getReason()));
            row(html, "Cost", "cost", "estimated " + usd(job.getPlan().getEstimatedCostUsd()) + ", actual "
                    + (job.getActualCostUsd() == null ? "–" : usd(job.getActualCostUsd())));
        }
        row(html, "Timings", "timings", "received " + time(job.getReceivedAt()) + ", submitted " + time(job.getSubmittedAt())
                + ", completed " + time(job.getCompletedAt()) + ", delivered " + time(job.getDeliveredAt())
                + (job.getPolls() > 0 ? " · " + job.getPolls() + " polls" : ""));
        if (!job.getDestinations().isEmpty()) {
            row(html, "Destinations", "destinations", esc(String.join(", ", job.getDestinations().stream().map(ConsolePage::shortDestination).toList())));
        }
        if (job.getErrorCode() != null) {
            row(html, "Error", "error", "<code class=\"error-code\">" + job.getErrorCode() + "</code> <span class=\"error-message\">"
                    + esc(job.getErrorMessage()) + "</span>");
            row(html, "What to do", "hint", "<span class=\"error-hint\">" + esc(job.getErrorCode().hint()) + "</span>");
        }
        html.append("</dl>");
        if (job.getState() == JobState.FAILED && job.getErrorCode() == ErrorCode.DELIVERY_FAILED) {
            action(html, job, "redeliver", "Redeliver", "Deliver the kept outputs again, without paying again (fix the destinations first)");
        }
        if (job.getState() == JobState.FAILED || job.getState() == JobState.SUBMIT_UNKNOWN) {
            action(html, job, "rerun", "Rerun", "Run this job again from its inputs in failed/ (fix them there first)");
        } else if (job.getState() == JobState.HELD) {
            action(html, job, "release", "Release", "Run this job despite the budget");
        }
        html.append("</article>\n");
    }

    /** A folder below the working directory is shown relative to it, as in the configuration. */
    static String shortDestination(String destination) {
        if (destination.startsWith("file:/")) {
            java.nio.file.Path folder = java.nio.file.Path.of(destination.substring("file:".length()));
            java.nio.file.Path here = java.nio.file.Path.of("").toAbsolutePath();
            if (folder.startsWith(here) && !folder.equals(here)) {
                return "file:" + here.relativize(folder).toString().replace('\\', '/');
            }
        }
        return destination;
    }

    private static void action(StringBuilder html, Job job, String action, String label, String title) {
        html.append("<form class=\"action\" method=\"post\" action=\"/jobs/").append(esc(job.getId())).append('/').append(action)
                .append("\"><button type=\"submit\" class=\"").append(action).append("\" title=\"").append(esc(title)).append("\">")
                .append(label).append("</button></form>");
    }

    private static void row(StringBuilder html, String label, String cssClass, String valueHtml) {
        html.append("<dt>").append(label).append("</dt><dd class=\"").append(cssClass).append("\">").append(valueHtml).append("</dd>");
    }

    private static String time(String instant) {
        return instant == null ? "–" : esc(instant.replace('T', ' ').replaceAll("\\.\\d+Z$", "Z"));
    }

    private static String usd(double amount) {
        return String.format(Locale.ROOT, "$%.4f", amount);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    static String esc(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static final String STYLE = """
            body{font:14px/1.4 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:0 16px;color:#222;background:#fafafa}
            header{display:flex;justify-content:space-between;align-items:baseline;flex-wrap:wrap;border-bottom:1px solid #ddd}
            h1{font-size:22px;margin:12px 0}
            .filters{margin:12px 0}.message{background:#eef6ff;border:1px solid #bcd;padding:8px}
            .job{background:#fff;border:1px solid #ddd;border-radius:6px;margin:12px 0;padding:10px 14px}
            .job h2{font-size:16px;margin:0 0 8px}.job small,.muted{color:#777;font-weight:normal}
            .state{font-size:11px;padding:2px 6px;border-radius:3px;background:#eee}
            .state.DELIVERED{background:#d8f3dc}.state.FAILED,.state.SUBMIT_UNKNOWN{background:#ffd6d6}.state.HELD{background:#fff1c1}
            .images{display:flex;gap:12px;align-items:center}.references,.results{display:flex;gap:8px;flex-wrap:wrap}
            .arrow{font-size:24px;color:#999}figure{margin:0;text-align:center}figcaption{font-size:11px;color:#777}
            img{max-width:160px;max-height:160px;border:1px solid #ccc;background:#f3f3f3}
            dl{display:grid;grid-template-columns:110px 1fr;gap:2px 10px;margin:10px 0}dt{color:#777}dd{margin:0}
            .error-code{color:#b00020;font-weight:bold}.none{color:#999}
            .action{display:inline}button{padding:4px 12px}
            """;

    /** Live state without a build step: fetch the same page every few seconds and swap the list and summary in place. */
    private static final String SCRIPT = """
            setInterval(async () => {
              try {
                const page = new DOMParser().parseFromString(await (await fetch(location.href)).text(), 'text/html');
                for (const id of ['jobs', 'summary']) {
                  const fresh = page.getElementById(id), old = document.getElementById(id);
                  if (fresh && old && fresh.dataset.version !== old.dataset.version) old.replaceWith(document.adoptNode(fresh));
                }
              } catch (e) { /* the server is restarting: try again at the next tick */ }
            }, 2000);
            """;
}
