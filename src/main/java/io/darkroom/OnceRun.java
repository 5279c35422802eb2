package io.darkroom;

import io.darkroom.intake.InboxScanner;
import io.darkroom.job.JobOutcomes;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code --once}: ends the run when the inbox is settled (nothing still arriving, nothing new
 * found by the latest scan) and every job found has reached a final state.
 */
public class OnceRun extends MainListenerSupport {

    private static final long CHECK_MILLIS = 200;

    private final ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "darkroom-once");
        thread.setDaemon(true);
        return thread;
    });
    private JobOutcomes outcomes;

    @Override
    public void afterStart(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        outcomes = context.getRegistry().lookupByNameAndType("jobOutcomes", JobOutcomes.class);
        InboxScanner scanner = context.getRegistry().lookupByNameAndType("inboxScanner", InboxScanner.class);
        long scansAtStart = scanner.scanCount();
        checker.scheduleWithFixedDelay(() -> {
            // two full scans after start: the first only sees files, the second can call them stable
            boolean settled = scanner.scanCount() >= scansAtStart + 2 && scanner.isSettled() && scanner.lastScanFound() == 0;
            if (settled && outcomes.inProgress() == 0) {
                checker.shutdown();
                ((org.apache.camel.main.Main) main).completed();
            }
        }, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    boolean allDelivered() {
        return outcomes != null && outcomes.failed() == 0 && outcomes.held() == 0;
    }

    String summary() {
        return outcomes == null ? "darkroom: did not start" : outcomes.summary();
    }
}
