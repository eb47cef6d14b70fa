package io.schoolstats.kafka;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;

/** The producer settings every writer of the service starts from: the operator's kafka.* ones, then safety. */
public final class ProducerSettings {
    private ProducerSettings() {
    }

    /**
     * The producer properties among {@code kafka} (the kafka.* properties of --config, TLS and
     * SASL for example), the brokers, and {@code acks=all} with idempotence: a record is written
     * once and on every replica, or the writer hears of it.
     */
    public static Properties of(String bootstrapServers, Map<String, String> kafka) {
        Properties props = new Properties();
        kafka.forEach((k, v) -> {
            if (ProducerConfig.configNames().contains(k)) {
                props.put(k, v);
            }
        });
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return props;
    }
}
