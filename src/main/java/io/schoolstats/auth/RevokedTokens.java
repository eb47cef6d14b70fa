package io.schoolstats.auth;

import io.schoolstats.contract.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The revoked token ids of the whole service: every instance reads the compacted topic
 * {@code tokens.revoked} from its beginning into memory, so a revocation written once (by
 * {@code token revoke} or {@code POST /api/v1/tokens/revoked}) takes effect on every instance
 * within a poll, and still holds after a restart. {@link #start} returns once everything written
 * before it has been read; a daemon thread then follows the topic. No consumer group: each
 * instance reads every partition.
 * <p>
 * Bounded: a revocation that records its token's expiry is dropped once that has passed (the
 * token is refused as expired from then on).
 */
public final class RevokedTokens implements Revocations, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RevokedTokens.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);

    /** Token id to the instant after which the revocation may be forgotten ({@link Instant#MAX}: never). */
    private final Map<String, Instant> revoked = new ConcurrentHashMap<>();
    private final Clock clock;
    private KafkaConsumer<String, byte[]> consumer;
    private Thread follower;
    private volatile boolean running = true;
    private Instant lastPrune = Instant.MIN;

    RevokedTokens(Clock clock) {
        this.clock = clock;
    }

    /**
     * Reads the topic up to its end, then follows it in the background.
     *
     * @param kafka client settings (security and the like); those a consumer does not know are left out
     * @throws IllegalStateException when the topic cannot be read within {@code timeout}
     */
    public static RevokedTokens start(String bootstrapServers, Map<String, String> kafka, Duration timeout, Clock clock) {
        RevokedTokens tokens = new RevokedTokens(clock);
        try {
            tokens.catchUp(consumerProperties(bootstrapServers, kafka), timeout);
        } catch (RuntimeException e) {
            tokens.close();
            throw e;
        }
        tokens.follower = new Thread(tokens::follow, "schoolstats-revoked-tokens");
        tokens.follower.setDaemon(true);
        tokens.follower.start();
        return tokens;
    }

    static Properties consumerProperties(String bootstrapServers, Map<String, String> kafka) {
        Properties props = new Properties();
        kafka.forEach((k, v) -> {
            if (ConsumerConfig.configNames().contains(k)) {
                props.put(k, v);
            }
        });
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "schoolstats-revoked-tokens");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return props;
    }

    private void catchUp(Properties props, Duration timeout) {
        String topic = Topics.REVOKED_TOKENS.name();
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions;
        try {
            partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new IllegalStateException("cannot read the revoked tokens (" + topic + ") within "
                    + timeout.toSeconds() + " s: " + e.getMessage(), e);
        }
        if (partitions.isEmpty()) {
            throw new IllegalStateException("the topic " + topic + " does not exist: serve creates it at start");
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        Instant deadline = clock.instant().plus(timeout);
        while (!reached(end)) {
            if (clock.instant().isAfter(deadline)) {
                throw new IllegalStateException("cannot read the revoked tokens (" + topic + ") to their end within "
                        + timeout.toSeconds() + " s");
            }
            pollOnce();
        }
        LOG.info("{} revoked token(s) in force", revoked.size());
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void pollOnce() {
        Instant now = clock.instant();
        for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
            apply(record.key(), record.value(), now);
        }
        if (Duration.between(lastPrune, now).compareTo(PRUNE_EVERY) >= 0) {
            prune(now);
            lastPrune = now;
        }
    }

    private void follow() {
        try {
            while (running) {
                try {
                    pollOnce();
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // Revocations must keep arriving: log, wait a little, go on (the consumer keeps its position).
                    LOG.warn("reading revoked tokens failed, retrying: {}", e.toString());
                    Thread.sleep(1000);
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    /** One record of the topic: a revocation, or a tombstone that lifts one. */
    void apply(String tokenId, byte[] value, Instant now) {
        if (tokenId == null) {
            return;
        }
        if (value == null) {
            revoked.remove(tokenId);
            return;
        }
        Instant until;
        try {
            Instant expiresAt = Revocation.fromJson(tokenId, value).expiresAt();
            until = expiresAt == null ? Instant.MAX : expiresAt;
        } catch (IllegalArgumentException e) {
            // Refuse to guess, and fail closed: the key alone says which token is revoked.
            LOG.warn("a record of {} for token id {} is unreadable ({}): the token is kept revoked",
                    Topics.REVOKED_TOKENS.name(), tokenId.length() > 100 ? tokenId.substring(0, 100) : tokenId,
                    e.getMessage());
            until = Instant.MAX;
        }
        // The latest record of a key wins, as compaction will make it.
        if (until.isAfter(now)) {
            revoked.put(tokenId, until);
        } else {
            revoked.remove(tokenId);
        }
    }

    /** Forgets the revocations of tokens that have expired anyway. */
    void prune(Instant now) {
        revoked.values().removeIf(until -> !until.isAfter(now));
    }

    @Override
    public boolean isRevoked(String tokenId) {
        return tokenId != null && revoked.containsKey(tokenId);
    }

    /** How many revocations are held. */
    public int size() {
        return revoked.size();
    }

    @Override
    public void close() {
        running = false;
        if (follower != null) {
            consumer.wakeup();
            try {
                follower.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else if (consumer != null) {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }
}
