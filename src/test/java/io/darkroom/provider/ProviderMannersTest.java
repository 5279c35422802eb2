package io.darkroom.provider;

import io.darkroom.DarkroomTestSupport;
import io.darkroom.ledger.JobLedger;
import io.darkroom.sim.AtlasSimulatorExtension;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Manners toward a provider whose limits nobody publishes: Darkroom finds how many jobs it may
 * have in flight, keeps to a request budget, and never polls one job twice within the minimum
 * interval. The simulator measures what it saw.
 */
// it counts requests per second and the gaps between polls: run with no other test beside it (pom.xml)
@Tag("alone")
class ProviderMannersTest {

    /** A cap of 5 jobs in flight that Darkroom is not told about; 4-second jobs. */
    @Nested
    class UnpublishedCap extends DarkroomTestSupport {

        @RegisterExtension
        static final AtlasSimulatorExtension simulator = new AtlasSimulatorExtension(s -> s.setJobMillis(4000).setConcurrencyCap(5));

        @Override
        protected void testProperties(Properties properties) {
            simulator.configure(properties);
            properties.put("darkroom.providers.atlas.max-in-flight", "50");
            properties.put("darkroom.poll.min-interval", "200");
            properties.put("darkroom.budget.per-day-usd", "0");
        }

        @Test
        void findsTheCapByItselfAndFailsNoJobForIt() throws Exception {
            for (int i = 0; i < 40; i++) {
                write("t/" + i + ".txt", "a lighthouse number " + i);
            }
            awaitFinished(40, Duration.ofSeconds(120));
            assertEquals(40, outcomes().delivered(), "failed: " + outcomes().failed());
            assertEquals(40, simulator.get().jobsCreatedCount(), "each job submitted (and billed) once");
            assertTrue(simulator.get().maxInFlightSeen() <= 5);
            int learned = context.getRegistry().lookupByNameAndType("inFlightLimiter", InFlightLimiter.class).currentLimit("atlas");
            assertTrue(learned >= 4 && learned <= 6, "learned a limit of " + learned + " for a cap of 5");
            long refused = simulator.get().capacityRefusedCount();
            assertTrue(refused < 0.15 * simulator.get().submitCount(), refused + " of " + simulator.get().submitCount() + " submits refused");
            JobLedger ledger = context.getRegistry().lookupByNameAndType("jobLedger", JobLedger.class);
            assertEquals(learned, ledger.learnedLimits().get("atlas"), "the learned limit is kept for the next start");
        }
    }

    /** Jobs of 3.5 s polled with a floor of one second between two polls of a job. */
    @Nested
    class PollFloor extends DarkroomTestSupport {

        @RegisterExtension
        static final AtlasSimulatorExtension simulator = new AtlasSimulatorExtension(s -> s.setJobMillis(3500).setConcurrencyCap(1000));

        @Override
        protected void testProperties(Properties properties) {
            simulator.configure(properties);
            properties.put("darkroom.poll.min-interval", "1000");
            properties.put("darkroom.poll.initial-delay", "50");
            properties.put("darkroom.budget.per-day-usd", "0");
        }

        @Test
        void neverPollsAJobTwiceWithinTheMinimumInterval() throws Exception {
            for (int i = 0; i < 10; i++) {
                write("t/" + i + ".txt", "a harbour number " + i);
            }
            awaitFinished(10, Duration.ofSeconds(60));
            assertEquals(10, outcomes().delivered());
            assertTrue(simulator.get().pollCount() > 10, "jobs were polled more than once each: " + simulator.get().pollCount());
            long gap = simulator.get().minPollGapMillis();
            assertTrue(gap >= 1000, "two polls of one job " + gap + " ms apart");
        }
    }

    /** A budget of 5 requests a second for 20 short jobs: submits, polls and downloads share it. */
    @Nested
    class RequestBudgetKept extends DarkroomTestSupport {

        @RegisterExtension
        static final AtlasSimulatorExtension simulator = new AtlasSimulatorExtension(s -> s.setJobMillis(500).setConcurrencyCap(1000));

        @Override
        protected void testProperties(Properties properties) {
            simulator.configure(properties);
            properties.put("darkroom.providers.atlas.max-requests-per-second", "5");
            properties.put("darkroom.budget.per-day-usd", "0");
        }

        @Test
        void theProviderNeverSeesMoreThanItsBudgetInAnySecond() throws Exception {
            for (int i = 0; i < 20; i++) {
                write("t/" + i + ".txt", "a windmill number " + i);
            }
            awaitFinished(20, Duration.ofSeconds(90));
            assertEquals(20, outcomes().delivered());
            int most = simulator.get().maxRequestsInAnySecond();
            assertTrue(most <= 6, "the provider saw " + most + " requests within one second");
        }
    }
}
