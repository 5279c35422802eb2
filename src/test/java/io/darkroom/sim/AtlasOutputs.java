package io.darkroom.sim;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a job's output images live ({@code <host>/files/<id>/<n>.<ext>}) and their bytes, which are
 * generated on demand from the job id so nothing is stored per job.
 */
final class AtlasOutputs {

    static final int SIDE = 64;
    private static final Pattern PATH = Pattern.compile("^/files/([0-9a-f]+)/(\\d+)\\.([a-z]+)$");

    /** The parts of an output path; null fields mean the path is not an output path. */
    record Address(String jobId, int index, String extension) {
    }

    private AtlasOutputs() {
    }

    static String url(String host, AtlasJob job, int index) {
        return host + "/files/" + job.id() + "/" + index + "." + job.outputFormat();
    }

    static byte[] bytes(AtlasJob job, int index) {
        return GeneratedImage.encode(job.outputFormat(), job.id() + "/" + index, SIDE, SIDE);
    }

    static Address parse(String path) {
        Matcher m = PATH.matcher(path);
        if (!m.matches() || m.group(2).length() > 4) {
            return null;
        }
        return new Address(m.group(1), Integer.parseInt(m.group(2)), m.group(3));
    }
}
