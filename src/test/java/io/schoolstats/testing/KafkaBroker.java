package io.schoolstats.testing;

import io.schoolstats.kafka.TopicSetup;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * A real Kafka broker for integration tests, one per test class, never a mock:
 * <ol>
 * <li>{@code KAFKA_BOOTSTRAP_SERVERS} when set (an external cluster, shared by all tests);</li>
 * <li>else Testcontainers' {@link KafkaContainer} when a Docker engine answers;</li>
 * <li>else Kafka's own in-JVM KRaft test kit ({@link KafkaClusterTestKit}).</li>
 * </ol>
 * Tests receive it as a {@link Broker} parameter.
 */
public final class KafkaBroker implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    private static final String IMAGE = "apache/kafka:4.1.1";

    /**
     * The broker a test talks to. {@code stop} and {@code start} take it down and up again where
     * this extension owns it (the test kit and Testcontainers); null for an external cluster.
     */
    public record Broker(String bootstrapServers, String kind, Runnable stop, Runnable start) {
        public boolean stoppable() {
            return stop != null;
        }

        public Admin admin() {
            Properties props = new Properties();
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            return Admin.create(props);
        }

        /** Creates the contract's topics, as {@code serve} would, for tests that produce before it starts. */
        public Broker withTopics() {
            try (Admin admin = admin()) {
                TopicSetup.ensure(admin, 2, Optional.empty());
            }
            return this;
        }
    }

    private Broker broker;
    private AutoCloseable running;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        String external = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        if (external != null && !external.isBlank()) {
            broker = new Broker(external, "external cluster", null, null);
        } else if (dockerAvailable()) {
            KafkaContainer container = new KafkaContainer(IMAGE)
                    .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                    .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                    .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
            container.start();
            running = container;
            broker = new Broker(container.getBootstrapServers(), "Testcontainers " + IMAGE,
                    () -> container.getDockerClient().pauseContainerCmd(container.getContainerId()).exec(),
                    () -> container.getDockerClient().unpauseContainerCmd(container.getContainerId()).exec());
        } else {
            KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("auto.create.topics.enable", "false")
                    .build();
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
            running = kit;
            broker = new Broker(kit.bootstrapServers(), "in-JVM KRaft test kit",
                    () -> kit.brokers().values().forEach(b -> b.shutdown()),
                    () -> kit.brokers().values().forEach(b -> b.startup()));
        }
        System.out.println("[KafkaBroker] " + context.getDisplayName() + " runs on " + broker.kind() + " at "
                + broker.bootstrapServers());
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (running != null) {
            running.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Broker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return broker;
    }
}
