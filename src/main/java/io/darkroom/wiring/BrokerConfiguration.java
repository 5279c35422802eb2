package io.darkroom.wiring;

import io.darkroom.ledger.BrokerHandOffs;
import io.darkroom.ledger.ClusterLedger;
import io.darkroom.ledger.JobLedger;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.amqp.AMQPComponent;
import org.apache.qpid.jms.JmsConnectionFactory;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Cluster mode with a broker (darkroom.cluster.broker-url): the hand-offs between stages go through
 * durable RabbitMQ queues, through Camel's AMQP component (RabbitMQ's AMQP 1.0 plugin). That plugin
 * only declares transient queues, which a broker restart loses, so the queues are declared durable
 * here first, through RabbitMQ's own client. Without a broker every node carries its jobs itself.
 */
public class BrokerConfiguration implements CamelConfiguration {

    /** Set here for the routes (9-cluster): true when hand-offs go through the broker. */
    static final String THROUGH_BROKER = "darkroom.cluster.hand-offs-through-broker";
    /**
     * Set here for the routes: the poll queue's endpoint, or an idle in-memory queue without a
     * broker, so that a single node never loads (or configures) an AMQP client it does not use.
     */
    static final String POLL_QUEUE_ENDPOINT = "darkroom.cluster.poll-queue-endpoint";

    @PropertyInject(value = "darkroom.cluster.enabled", defaultValue = "false")
    boolean cluster;
    @PropertyInject(value = "darkroom.cluster.broker-url", defaultValue = "")
    String brokerUrl;
    @PropertyInject(value = "darkroom.cluster.poll-queue", defaultValue = "darkroom.poll")
    String pollQueue;
    @PropertyInject(value = "darkroom.cluster.broker-consumers", defaultValue = "2")
    int consumers;
    @PropertyInject(value = "darkroom.cluster.lease", defaultValue = "30s")
    String lease;

    @Override
    public void configure(CamelContext context) throws Exception {
        boolean enabled = cluster && !brokerUrl.isBlank();
        context.getPropertiesComponent().addOverrideProperty(THROUGH_BROKER, String.valueOf(enabled));
        context.getPropertiesComponent().addOverrideProperty(POLL_QUEUE_ENDPOINT, enabled ? "amqp:/amq/queue/" + pollQueue : "seda:no-broker-configured");
        JobLedger ledger = context.getRegistry().findSingleByType(JobLedger.class);
        ClusterLedger clusterLedger = context.getRegistry().lookupByNameAndType("clusterLedger", ClusterLedger.class);
        context.getRegistry().bind("brokerHandOffs", new BrokerHandOffs(ledger, clusterLedger, ProviderConfiguration.millis(lease), enabled));
        if (!enabled) {
            return;
        }
        URI broker = brokerUri(brokerUrl);
        declareDurable(broker, pollQueue);
        // no shared connection: one the broker stopped answering on (a restart) would be kept for good;
        // a hand-off opens its own, and the queue's consumers renew theirs after a failure
        AMQPComponent amqp = new AMQPComponent(qpid(broker));
        // a message is acknowledged once its route has recorded the job as taken (BrokerHandOffs)
        amqp.setAcknowledgementModeName("CLIENT_ACKNOWLEDGE");
        amqp.setConcurrentConsumers(consumers);
        context.getRegistry().bind("amqp", amqp);
    }

    private static URI brokerUri(String url) {
        try {
            URI uri = new URI(url.trim());
            if (!"amqp".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("scheme");
            }
            return uri;
        } catch (Exception e) {
            // the URL may hold a password: it is not repeated
            throw new IllegalArgumentException("darkroom.cluster.broker-url is not a broker address like amqp://user:password@host:5672/vhost");
        }
    }

    /** Declared once, durable; declaring a queue that exists changes nothing. */
    private static void declareDurable(URI broker, String queue) {
        com.rabbitmq.client.ConnectionFactory factory = new com.rabbitmq.client.ConnectionFactory();
        try {
            factory.setUri(broker);
            factory.setConnectionTimeout(10_000);
            try (com.rabbitmq.client.Connection connection = factory.newConnection("darkroom");
                 com.rabbitmq.client.Channel channel = connection.createChannel()) {
                channel.queueDeclare(queue, true, false, false, null);
            }
        } catch (Exception e) {
            throw new IllegalStateException("Cluster mode: the broker at " + broker.getHost() + ":" + port(broker)
                    + " (darkroom.cluster.broker-url) cannot be reached or refused the queue " + queue + ": " + e.getMessage()
                    + ". Start RabbitMQ (with its AMQP 1.0 plugin: rabbitmq-plugins enable rabbitmq_amqp1_0) before the node.");
        }
    }

    /** Qpid JMS for Camel's AMQP component; a send fails within seconds when the broker is away (the job then stays here). */
    private static JmsConnectionFactory qpid(URI broker) {
        String[] user = broker.getRawUserInfo() == null ? new String[] {"guest", "guest"} : broker.getRawUserInfo().split(":", 2);
        String vhost = broker.getPath() == null || broker.getPath().length() <= 1 ? "" : decode(broker.getPath().substring(1));
        // a timed receive that finds nothing does not ask the broker to drain the link: RabbitMQ 3.10's
        // classic queues fail the channel on a drain (rabbit_classic_queue has no clause for send_drained)
        String remote = "amqp://" + broker.getHost() + ":" + port(broker) + "?jms.connectTimeout=10000&jms.sendTimeout=10000&jms.requestTimeout=10000"
                + "&jms.receiveLocalOnly=true&jms.receiveNoWaitLocalOnly=true"
                + (vhost.isEmpty() ? "" : "&amqp.vhost=vhost:" + java.net.URLEncoder.encode(vhost, StandardCharsets.UTF_8));
        return new JmsConnectionFactory(decode(user[0]), user.length > 1 ? decode(user[1]) : "", remote);
    }

    private static int port(URI broker) {
        return broker.getPort() > 0 ? broker.getPort() : 5672;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
