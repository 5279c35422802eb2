package io.darkroom.cli;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class OnceProgressTest {

    @Test
    void theBarFillsInProportionToFinishedJobs() {
        assertEquals("[..........]", OnceProgress.bar(0, 4, 10));
        assertEquals("[#####.....]", OnceProgress.bar(2, 4, 10));
        assertEquals("[##########]", OnceProgress.bar(4, 4, 10));
        assertEquals("[..........]", OnceProgress.bar(0, 0, 10), "nothing found yet");
    }

    @Test
    void timeLeftFollowsThePaceSoFar() {
        assertNull(OnceProgress.eta(0, 10, Duration.ofSeconds(5)), "unknown before the first job finishes");
        assertEquals(Duration.ofSeconds(12), OnceProgress.eta(2, 5, Duration.ofSeconds(8)));
        assertEquals(Duration.ZERO, OnceProgress.eta(5, 5, Duration.ofSeconds(8)));
    }

    @Test
    void theLineSaysFinishedTotalFailuresSpendAndTimeLeft() {
        assertEquals("3/10 finished, 1 failed or held, $0.1200 spent, about 12 s left",
                OnceProgress.describe(3, 10, 1, 0.12, Duration.ofMillis(11_500)));
    }
}
