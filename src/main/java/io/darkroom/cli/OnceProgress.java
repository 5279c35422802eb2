package io.darkroom.cli;

import io.darkroom.job.Job;
import io.darkroom.job.JobOutcomes;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * Progress of a {@code --once} run: a bar redrawn in place on a terminal (finished / total,
 * failures, spend, time left); when the output is not a terminal, one plain log line per finished job.
 */
public class OnceProgress extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(OnceProgress.class);
    private static final int BAR_WIDTH = 30;

    private final PrintStream terminal;
    private final DoubleAdder spent = new DoubleAdder();
    private final long startedAt = System.nanoTime();
    private ScheduledExecutorService redraw;
    private JobOutcomes outcomes;

    /** @param terminal where to draw the bar, or null for plain log lines */
    public OnceProgress(PrintStream terminal) {
        this.terminal = terminal;
    }

    /** Both ends of the run are a terminal (what {@link System#console()} checks). */
    public static boolean isTerminal() {
        return System.console() != null;
    }

    @Override
    public void afterStart(BaseMainSupport main) {
        outcomes = main.getCamelContext().getRegistry().lookupByNameAndType("jobOutcomes", JobOutcomes.class);
        outcomes.onFinished(this::finished);
        if (terminal != null) {
            redraw = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "darkroom-progress");
                thread.setDaemon(true);
                return thread;
            });
            redraw.scheduleWithFixedDelay(() -> terminal.print("\r" + line()), 0, 250, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void beforeStop(BaseMainSupport main) {
        if (redraw != null) {
            redraw.shutdownNow();
            terminal.println("\r" + line());
        }
    }

    private void finished(Job job) {
        if (job.getActualCostUsd() != null) {
            spent.add(job.getActualCostUsd());
        }
        if (terminal == null) {
            LOG.info("progress: {}", text());
        }
    }

    private String line() {
        return bar(finishedCount(), outcomes.startedCount(), BAR_WIDTH) + " " + text();
    }

    private int finishedCount() {
        return outcomes.delivered() + outcomes.failed() + outcomes.held() + outcomes.duplicates();
    }

    private String text() {
        int finished = finishedCount();
        int total = outcomes.startedCount();
        return describe(finished, total, outcomes.failed() + outcomes.held(), spent.sum(),
                eta(finished, total, Duration.ofNanos(System.nanoTime() - startedAt)));
    }

    /** "3/10 finished, 1 failed, $0.1200 spent, about 12 s left". */
    static String describe(int finished, int total, int failures, double spentUsd, Duration left) {
        return String.format(Locale.ROOT, "%d/%d finished, %d failed or held, $%.4f spent, %s", finished, total, failures, spentUsd,
                left == null ? "time left unknown" : "about " + Math.max(1, (left.toMillis() + 999) / 1000) + " s left");
    }

    /** The time left at the pace so far; null before the first job finished. */
    static Duration eta(int finished, int total, Duration elapsed) {
        if (finished == 0 || total <= finished) {
            return finished == 0 ? null : Duration.ZERO;
        }
        return elapsed.multipliedBy(total - finished).dividedBy(finished);
    }

    /** "[##########..........]": filled in proportion to finished / total. */
    static String bar(int finished, int total, int width) {
        int filled = total == 0 ? 0 : (int) Math.min(width, (long) finished * width / total);
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
    }
}
