package io.darkroom.plan;

import io.darkroom.job.Job;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where a job's results go. The ticket's destinations replace the defaults; otherwise the job goes
 * to its source's default (the use case's outbox folder for folder jobs, the bucket's outbox for S3
 * jobs, a reply for mail) plus the routing row's extra destinations. Folder destinations become
 * absolute file: URIs here, once; every destination is checked (see {@link DestinationRules}), and
 * the ones that store outputs come first, so a mail or webhook can point at results already there.
 */
public class DestinationPlanner {

    private final Path outbox;
    private final RoutingTable routing;
    private final DestinationRules rules;

    public DestinationPlanner(Path outbox, RoutingTable routing, DestinationRules rules) {
        this.outbox = outbox.toAbsolutePath().normalize();
        this.routing = routing;
        this.rules = rules;
    }

    public List<String> destinations(Job job) {
        Set<String> chosen = new LinkedHashSet<>();
        List<String> fromTicket = job.getTicket().getDestinations();
        if (fromTicket != null && !fromTicket.isEmpty()) {
            chosen.addAll(fromTicket);
        } else {
            chosen.add(defaultFor(job));
            UseCaseRoute route = routing.route(job.getPlan().getUseCase());
            if (route != null) {
                chosen.addAll(route.getDestinations());
            }
        }
        List<String> stored = new ArrayList<>();
        List<String> told = new ArrayList<>();
        for (String destination : chosen) {
            String resolved = resolve(destination);
            rules.check(resolved);
            (DestinationRules.STORAGE.contains(DestinationRules.kindOf(resolved)) ? stored : told).add(resolved);
        }
        stored.addAll(told);
        return stored;
    }

    /** The destination a job gets when nobody names one; its intake may set one ({useCase} is filled in). */
    protected String defaultFor(Job job) {
        String fromOrigin = job.getOrigin().get("defaultDestination");
        return fromOrigin != null ? fromOrigin.replace("{useCase}", job.getPlan().getUseCase())
                : "file:" + outbox.resolve(job.getPlan().getUseCase());
    }

    /** Absolute folders, and the kind in lower case, since it names the route that delivers. */
    private String resolve(String destination) {
        String trimmed = destination.trim();
        String kind = DestinationRules.kindOf(trimmed);
        if (kind.equals("file")) {
            String folder = trimmed.substring("file:".length());
            if (folder.isBlank() || folder.indexOf('\0') >= 0) {
                return trimmed; // refused by the rules with a clear message
            }
            // relative to the working directory, like the configured folders; the rules then require a destination root
            return "file:" + Path.of(folder).toAbsolutePath().normalize();
        }
        return kind.isEmpty() ? trimmed : kind + trimmed.substring(kind.length());
    }
}
