package io.darkroom.ledger;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The machine's RabbitMQ (guest/guest on 127.0.0.1:5672, its AMQP 1.0 plugin enabled by .ci/run)
 * for the cluster tests: a queue name of its own for each test, removed afterwards, and a restart of
 * the broker while nodes use it.
 */
final class RabbitBroker {

    static final String URL = System.getenv().getOrDefault("DARKROOM_TEST_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672");

    private RabbitBroker() {
    }

    static String freshQueue() {
        return "darkroom.test." + UUID.randomUUID().toString().substring(0, 8);
    }

    static void deleteQueue(String queue) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(URL);
        try (Connection connection = factory.newConnection(); Channel channel = connection.createChannel()) {
            channel.queueDelete(queue);
        }
    }

    /** Stops the broker's application (connections drop, the port closes), then starts it again. */
    static void restart() throws Exception {
        rabbitmqctl("stop_app");
        rabbitmqctl("start_app");
    }

    private static void rabbitmqctl(String command) throws Exception {
        Process process = new ProcessBuilder("rabbitmqctl", command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("rabbitmqctl " + command + " failed: " + output);
        }
    }
}
