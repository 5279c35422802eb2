package io.darkroom.plan;

import io.darkroom.job.Job;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where a job's results go. The ticket's destinations replace the defaults; otherwise the job goes
 * to its source's default (the use case's outbox folder for folder jobs) plus the routing row's
 * extra destinations. Folder destinations become absolute file: URIs here, once.
 */
public class DestinationPlanner {

    private final Path outbox;
    private final RoutingTable routing;

    public DestinationPlanner(Path outbox, RoutingTable routing) {
        this.outbox = outbox.toAbsolutePath().normalize();
        this.routing = routing;
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
        List<String> resolved = new ArrayList<>();
        for (String destination : chosen) {
            resolved.add(resolve(destination));
        }
        return resolved;
    }

    /** The destination a job gets when nobody names one; other sources override this. */
    protected String defaultFor(Job job) {
        String fromOrigin = job.getOrigin().get("defaultDestination");
        return fromOrigin != null ? fromOrigin : "file:" + outbox.resolve(job.getPlan().getUseCase());
    }

    private static String resolve(String destination) {
        if (destination.startsWith("file:")) {
            return "file:" + Path.of(destination.substring("file:".length())).toAbsolutePath().normalize();
        }
        return destination;
    }
}
