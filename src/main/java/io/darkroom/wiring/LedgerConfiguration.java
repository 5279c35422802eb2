package io.darkroom.wiring;

import io.darkroom.intake.InboxLock;
import io.darkroom.job.FailureRecorder;
import io.darkroom.ledger.ClusterLedger;
import io.darkroom.ledger.JobLedger;
import io.darkroom.ledger.NodeName;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.Service;
import org.apache.camel.support.service.ServiceHelper;

import java.nio.file.Path;
import java.util.List;

/** The folders and the ledger: Camel services, started in that order before any route and stopped with the context. */
public class LedgerConfiguration implements CamelConfiguration {

    @PropertyInject("darkroom.inbox")
    String inbox;
    @PropertyInject("darkroom.outbox")
    String outbox;
    @PropertyInject("darkroom.done")
    String done;
    @PropertyInject("darkroom.failed")
    String failed;
    @PropertyInject("darkroom.held")
    String held;
    @PropertyInject("darkroom.data")
    String data;
    @PropertyInject(value = "darkroom.ledger.url", defaultValue = "")
    String url;
    @PropertyInject(value = "darkroom.ledger.user", defaultValue = "")
    String user;
    @PropertyInject(value = "darkroom.ledger.password", defaultValue = "")
    String password;
    @PropertyInject(value = "darkroom.ledger.pool-size", defaultValue = "10")
    int poolSize;

    @PropertyInject(value = "darkroom.cluster.enabled", defaultValue = "false")
    boolean cluster;
    @PropertyInject(value = "darkroom.cluster.node-id", defaultValue = "")
    String nodeId;
    @PropertyInject(value = "darkroom.cluster.lease", defaultValue = "30s")
    String lease;

    @Override
    public void configure(CamelContext context) throws Exception {
        Folders folders = new Folders(inbox, outbox, done, failed, held, data);
        folders.setSharedOutbox(cluster);
        context.getRegistry().bind("folders", folders);
        // refuse to start on an inbox or data folder another instance holds, before the ledger opens;
        // in cluster mode the inbox is shared (the ledger decides who takes each input), the data folder is not
        context.addService(cluster ? InboxLock.acquire(null, folders.data()) : InboxLock.acquire(folders.inbox(), folders.data()), true, false);
        JobLedger ledger = open(url, user, password, folders.data(), poolSize);
        if (cluster && !ledger.isShared()) {
            throw new IllegalStateException("Cluster mode (darkroom.cluster.enabled=true) needs a ledger all nodes share: set darkroom.ledger.url "
                    + "to a PostgreSQL database (jdbc:postgresql://...). The embedded ledger belongs to one node.");
        }
        long leaseMillis = ProviderConfiguration.millis(lease);
        ledger.setNode(nodeId == null || nodeId.isBlank() ? NodeName.ofThisProcess() : nodeId.trim(), cluster, leaseMillis);
        context.getRegistry().bind("clusterLedger", new ClusterLedger(ledger, leaseMillis));
        // started here, in this order, while the context is built (before any route can run a
        // bean that reads the ledger), and stopped with the context
        for (Service service : List.of(folders, ledger)) {
            ServiceHelper.startService(service);
            context.addService(service, true, false);
        }
        context.getRegistry().bind("jobLedger", ledger);
        context.getRegistry().bind("failureRecorder", new FailureRecorder(ledger));
    }

    /** The configured ledger; an empty url means the embedded H2 database under the data folder. */
    public static JobLedger open(String url, String user, String password, Path data) {
        return open(url, user, password, data, 2);
    }

    public static JobLedger open(String url, String user, String password, Path data, int poolSize) {
        if (url == null || url.isBlank()) {
            // WRITE_DELAY=0: a commit is on disk before the pipeline moves on, even if the JVM is killed
            return new JobLedger("jdbc:h2:file:" + data.resolve("ledger") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0", "sa", "", poolSize);
        }
        return new JobLedger(url.trim(), user, password, poolSize);
    }
}
