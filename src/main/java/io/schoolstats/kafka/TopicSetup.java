package io.schoolstats.kafka;

import io.schoolstats.contract.Topics;
import io.schoolstats.contract.Topics.Topic;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the contract's topics that are missing; existing topics are left as they are. */
public final class TopicSetup {
    private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);
    /** How far ahead of the broker's clock a report's record timestamp may be: one day. */
    static final long MAX_TIMESTAMP_AHEAD_MS = 24L * 60 * 60 * 1000;

    private TopicSetup() {
    }

    /**
     * @param partitions        partitions of each new topic
     * @param replicationFactor replicas of each new topic; empty for the broker's default
     * @return the names of the topics created
     */
    public static List<String> ensure(Admin admin, int partitions, Optional<Short> replicationFactor) {
        try {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (Topic<?, ?> topic : Topics.all()) {
                if (!existing.contains(topic.name())) {
                    missing.add(new NewTopic(topic.name(), Optional.of(partitions), replicationFactor)
                            .configs(settings(topic)));
                }
            }
            List<String> created = new ArrayList<>();
            for (NewTopic topic : missing) {
                try {
                    admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
                    created.add(topic.name());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            if (!created.isEmpty()) {
                LOG.info("created topics {}", created);
            }
            return created;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create the topics on Kafka: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    /**
     * Reference and statistics topics are compacted (the latest row per key is the truth).
     * Report topics keep their records forever: they are the source of truth a replay rebuilds
     * every aggregate from.
     */
    static Map<String, String> settings(Topic<?, ?> topic) {
        Map<String, String> config = new HashMap<>();
        if (topic.compacted()) {
            config.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        } else if (topic.name().startsWith("reports.") && !topic.equals(Topics.REJECTED)) {
            config.put(TopicConfig.RETENTION_MS_CONFIG, "-1");
            // The bounds of a report's dates are measured from its record timestamp (CONTRACT 2b):
            // the broker refuses a record stamped more than a day ahead of its own clock, so that
            // a producer with a wrong clock cannot carry its reports into the future either.
            config.put(TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG, String.valueOf(MAX_TIMESTAMP_AHEAD_MS));
        }
        return config;
    }
}
