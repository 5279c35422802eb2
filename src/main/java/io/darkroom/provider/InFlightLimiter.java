package io.darkroom.provider;

import io.darkroom.job.Job;
import io.darkroom.ledger.ClusterLedger;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * How many jobs each provider has in flight, and how many it may have: a limit Darkroom finds by
 * itself, below darkroom.providers.NAME.max-in-flight (an upper bound, not a guess the user must
 * make). It starts at the limit learned earlier (kept in the ledger), else at initial-in-flight (one
 * by default), and grows by one
 * with each submit the provider accepts until the provider first refuses one for capacity. A
 * refusal sets the limit to the jobs then in flight, the refused job waits at the head of the queue
 * and is never failed for it. From then on the limit probes one higher after each run of twice the
 * limit of accepted submits with every slot taken, so a provider at its cap sees about one refusal
 * in that many jobs, and a limit that counts jobs not yet seen finished keeps up with it.
 *
 * <p>A job over the limit waits in a FIFO queue holding no thread; a freed slot, or a limit that
 * grew, is handed to the next waiting job, which the routes send back to the submit stage.
 */
public class InFlightLimiter {

    private final Map<String, Provider> providers = new HashMap<>();
    private final BiConsumer<String, Integer> learned;
    private boolean stopping;
    /** Cluster mode: max-in-flight holds for all nodes together, through slots in the shared ledger (null: this node alone). */
    private ClusterLedger cluster;

    /** {@code learned} hears each new limit (provider, limit) to keep it for the next start. */
    public InFlightLimiter(BiConsumer<String, Integer> learned) {
        this.learned = learned;
    }

    /** Cluster mode: every slot is also taken in the shared ledger, where the nodes' jobs at a provider are counted together. */
    public synchronized void setCluster(ClusterLedger cluster) {
        this.cluster = cluster;
    }

    private static final class Provider {
        final String name;
        final int max;
        int limit;
        int inFlight;
        boolean probing;
        int acceptedAtLimit;
        int probeAfter;
        final Deque<Job> waiting = new ArrayDeque<>();

        Provider(String name, int max, int start, boolean learned) {
            this.name = name;
            this.max = max;
            this.limit = Math.max(1, Math.min(max, start));
            // a limit learned earlier is a known level: probe above it only after a run, like after a refusal
            this.probing = !learned;
            this.probeAfter = 2 * this.limit;
        }
    }

    /**
     * A provider's upper bound (max-in-flight; 0 or less: no cap, no learning) and where its limit
     * starts: at the limit learned before, else at {@code initial} (1 unless the operator knows more).
     */
    public synchronized void limit(String provider, int maxInFlight, int initial, Integer learnedBefore) {
        if (maxInFlight > 0) {
            providers.put(provider, new Provider(provider, maxInFlight, learnedBefore == null ? Math.max(1, initial) : learnedBefore,
                    learnedBefore != null));
        }
    }

    /**
     * From the moment Darkroom begins to stop, no job goes to a provider any more: a job not yet
     * submitted stays in the inbox (and PLANNED in the ledger) and starts afresh at the next run.
     */
    public synchronized void stopAdmitting() {
        stopping = true;
        providers.values().forEach(p -> p.waiting.clear());
    }

    /** True when the job may go to its provider now; false when it was queued for a slot (or Darkroom is stopping). */
    public synchronized boolean admit(Job job) {
        if (stopping) {
            return false;
        }
        if (job.isHoldsProviderSlot()) {
            return true;
        }
        Provider p = providers.get(job.getProvider());
        if (p != null && (p.inFlight >= p.limit || !p.waiting.isEmpty() && cluster != null || !takeClusterSlot(p, job))) {
            p.waiting.addLast(job);
            return false;
        }
        take(p, job);
        return true;
    }

    /** True when the cluster has a slot for the job (always, outside cluster mode). */
    private boolean takeClusterSlot(Provider p, Job job) {
        return cluster == null || cluster.takeSlot(p.name, job.getId(), p.max);
    }

    /**
     * Cluster mode: slots freed on other nodes are not announced here, so the jobs waiting for one
     * look again now and then (route retry-cluster-slots); returns those that got one.
     */
    public synchronized List<Job> retryWaiting() {
        List<Job> admitted = new ArrayList<>();
        if (cluster != null) {
            providers.values().forEach(p -> admitted.addAll(admitWaiting(p)));
        }
        return admitted;
    }

    /** A job already at its provider (found in the ledger at start-up) takes a slot whatever the limit. */
    public synchronized void occupy(Job job) {
        if (!job.isHoldsProviderSlot()) {
            Provider p = providers.get(job.getProvider());
            if (p != null && cluster != null) {
                cluster.occupySlot(p.name, job.getId());
            }
            take(p, job);
        }
    }

    private static void take(Provider p, Job job) {
        if (p != null) {
            p.inFlight++;
        }
        job.setHoldsProviderSlot(true);
    }

    /** The provider accepted the job's submit: the limit may grow; returns the waiting jobs that may go now. */
    public synchronized List<Job> accepted(Job job) {
        Provider p = providers.get(job.getProvider());
        if (p == null) {
            return List.of();
        }
        if (p.probing) {
            setLimit(job.getProvider(), p, p.limit + 1);
        } else if (p.inFlight >= p.limit && ++p.acceptedAtLimit >= p.probeAfter) {
            p.acceptedAtLimit = 0;
            setLimit(job.getProvider(), p, p.limit + 1);
            p.probeAfter = 2 * p.limit;
        }
        return admitWaiting(p);
    }

    /**
     * The provider refused the job's submit for capacity. The limit becomes the other jobs in flight
     * and the job waits at the head of the queue (true); when it is the only one in flight, it keeps
     * its slot and tries again after a delay instead (false), as nothing else would free a slot.
     */
    public synchronized boolean refused(Job job) {
        Provider p = providers.get(job.getProvider());
        if (p == null) {
            return false;
        }
        int others = p.inFlight - (job.isHoldsProviderSlot() ? 1 : 0);
        p.probing = false;
        p.acceptedAtLimit = 0;
        setLimit(job.getProvider(), p, Math.max(1, others));
        p.probeAfter = 2 * p.limit;
        if (others == 0) {
            return false;
        }
        if (job.isHoldsProviderSlot()) {
            p.inFlight--;
            job.setHoldsProviderSlot(false);
            freeClusterSlot(job);
        }
        p.waiting.addFirst(job);
        return true;
    }

    /** The job no longer occupies its provider: returns the waiting jobs that take the freed slot (already holding it). */
    public synchronized List<Job> release(Job job) {
        return letGo(job, true);
    }

    /**
     * Cluster mode: the job went to another node through the broker, still at its provider. Its
     * slot in the shared ledger stays taken (the receiving node holds it, see occupy); here it
     * frees a place under this node's limit, which the next waiting job takes (returned).
     */
    public synchronized List<Job> handedOff(Job job) {
        return letGo(job, false);
    }

    private List<Job> letGo(Job job, boolean leftProvider) {
        if (job == null || !job.isHoldsProviderSlot()) {
            return List.of();
        }
        job.setHoldsProviderSlot(false);
        Provider p = providers.get(job.getProvider());
        if (p == null) {
            return List.of();
        }
        p.inFlight--;
        if (leftProvider) {
            freeClusterSlot(job);
        }
        return admitWaiting(p);
    }

    private void freeClusterSlot(Job job) {
        if (cluster != null) {
            cluster.freeSlot(job.getId());
        }
    }

    private List<Job> admitWaiting(Provider p) {
        List<Job> admitted = new ArrayList<>();
        if (stopping) {
            return admitted;
        }
        while (p.inFlight < p.limit && !p.waiting.isEmpty()) {
            Job next = p.waiting.peekFirst();
            if (!takeClusterSlot(p, next)) {
                break;
            }
            p.waiting.pollFirst();
            take(p, next);
            admitted.add(next);
        }
        return admitted;
    }

    private void setLimit(String provider, Provider p, int limit) {
        int bounded = Math.max(1, Math.min(p.max, limit));
        if (bounded != p.limit) {
            p.limit = bounded;
            learned.accept(provider, bounded);
        }
    }

    public synchronized int inFlight(String provider) {
        Provider p = providers.get(provider);
        return p == null ? 0 : p.inFlight;
    }

    public synchronized int waiting(String provider) {
        Provider p = providers.get(provider);
        return p == null ? 0 : p.waiting.size();
    }

    /** The limit in force for a provider, or 0 when it has no cap. */
    public synchronized int currentLimit(String provider) {
        Provider p = providers.get(provider);
        return p == null ? 0 : p.limit;
    }
}
