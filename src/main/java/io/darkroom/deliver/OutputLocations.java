package io.darkroom.deliver;

import io.darkroom.job.Job;
import io.darkroom.plan.DestinationRules;
import io.darkroom.s3.S3Location;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a job's files end up in each destination that stores them: {@code <folder>/<job>/<file>}
 * for folders, {@code s3://bucket/prefix/<job>/<file>} for buckets. Mails and webhooks point here.
 */
public final class OutputLocations {

    private OutputLocations() {
    }

    /** The job's folder in every storing destination. */
    public static List<String> jobFolders(Job job) {
        List<String> folders = new ArrayList<>();
        for (String destination : job.getDestinations()) {
            String folder = jobFolder(job, destination);
            if (folder != null) {
                folders.add(folder);
            }
        }
        return folders;
    }

    /** Every place one file of the job was written to. */
    public static List<String> of(Job job, String fileName) {
        return jobFolders(job).stream().map(folder -> folder + fileName).toList();
    }

    /** The job's folder in one destination, ending with '/'; null for destinations that store nothing. */
    public static String jobFolder(Job job, String destination) {
        String kind = DestinationRules.kindOf(destination);
        if (!DestinationRules.STORAGE.contains(kind)) {
            return null;
        }
        if (kind.equals("s3")) {
            return S3Location.parse(destination).child(job.getId()).toString();
        }
        return Path.of(destination.substring("file:".length())).resolve(job.getId()) + "/";
    }
}
