package io.darkroom.sim;

import java.util.Random;
import java.util.function.LongSupplier;

/**
 * Job durations drawn from a lognormal distribution given by its median and 95th percentile, as
 * published latencies of image models are; seeded, so two runs see the same sequence.
 */
public final class LognormalLatency {

    /** The 95th percentile of the standard normal distribution. */
    private static final double Z95 = 1.6448536269514722;

    private LognormalLatency() {
    }

    public static LongSupplier of(long p50Millis, long p95Millis, long seed) {
        Random random = new Random(seed);
        double mu = Math.log(p50Millis);
        double sigma = Math.log((double) Math.max(p95Millis, p50Millis) / p50Millis) / Z95;
        return () -> {
            synchronized (random) {
                return Math.max(1, Math.round(Math.exp(mu + sigma * random.nextGaussian())));
            }
        };
    }
}
