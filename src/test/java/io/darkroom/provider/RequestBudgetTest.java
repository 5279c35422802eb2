package io.darkroom.provider;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestBudgetTest {

    private final ManualClock clock = new ManualClock();
    private final RequestBudget budget = new RequestBudget(clock);

    @Test
    void aRequestDueNowIsNotQueuedBehindPollsBookedForLater() {
        budget.limit("atlas", 10);
        for (int job = 0; job < 20; job++) {
            budget.reserve("atlas", 15_000 + job * 1_000);
        }

        assertEquals(0, budget.reserve("atlas", 0), "a submit due now goes now: the booked polls are seconds away");
        assertEquals(105, budget.reserve("atlas", 0), "the next one keeps its interval from the first");
    }

    @Test
    void requestsDueTogetherAreSpreadOneIntervalApart() {
        budget.limit("atlas", 10);
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waits.add(budget.reserve("atlas", 2_000));
        }
        assertEquals(List.of(2_000L, 2_105L, 2_210L, 2_315L, 2_420L), waits);
    }

    @Test
    void noSecondEverHoldsMoreThanTheRateWhateverTheOrderOfBooking() {
        budget.limit("atlas", 5);
        Random random = new Random(7);
        List<Long> moments = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            clock.millis += random.nextInt(40);
            moments.add(clock.millis + budget.reserve("atlas", random.nextInt(30_000)));
        }
        moments.sort(null);
        for (int i = 0; i + 5 < moments.size(); i++) {
            assertTrue(moments.get(i + 5) - moments.get(i) >= 1_000, "six requests within one second at " + moments.get(i));
        }
    }

    @Test
    void a429HalvesTheRateAndKeepsTheNextIntervalFree() {
        budget.limit("atlas", 10);
        budget.answered("atlas", 429);

        assertEquals(5.0, budget.perSecond("atlas"));
        assertEquals(210, budget.reserve("atlas", 0), "one interval at the halved rate after the refused request");
        for (int i = 0; i < 10; i++) {
            budget.answered("atlas", 200);
        }
        assertEquals(10.0, budget.perSecond("atlas"), "recovered after a few dozen answers at most");
    }

    @Test
    void nodesAliveShareTheRateAndANodeLeftAloneTakesItAllAgain() {
        budget.limit("atlas", 10);
        budget.shareAmong(2);
        assertEquals(5.0, budget.perSecond("atlas"));
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            waits.add(budget.reserve("atlas", 0));
        }
        assertEquals(List.of(0L, 210L, 420L, 630L, 840L, 1050L), waits, "five in the first second, not ten");
        for (int i = 0; i < 40; i++) {
            budget.answered("atlas", 200);
        }
        assertEquals(5.0, budget.perSecond("atlas"), "recovery stops at the share");

        budget.shareAmong(1);
        for (int i = 0; i < 20; i++) {
            budget.answered("atlas", 200);
        }
        assertEquals(10.0, budget.perSecond("atlas"), "the other node is gone: the whole rate again");
    }

    @Test
    void anUnpacedProviderWaitsOnlyForWhenItsRequestIsDue() {
        assertEquals(1_234, budget.reserve("preview", 1_234));
        assertEquals(0, budget.reserve("preview", 0));
    }
}
