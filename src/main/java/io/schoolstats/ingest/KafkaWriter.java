package io.schoolstats.ingest;

import io.schoolstats.ingest.Checked.Accepted;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a batch of accepted items all or nothing: one Kafka transaction per batch, committed
 * only when the broker has acknowledged every record (idempotent, {@code acks=all}). The
 * stream processor reads committed records only, so a batch that fails half-way is never seen.
 */
public final class KafkaWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaWriter.class);

    /** Kafka could not take the batch in time; nothing of it is visible. */
    public static final class UnavailableException extends Exception {
        private static final long serialVersionUID = 1L;

        UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Properties props;
    private final Duration timeout;
    private KafkaProducer<String, String> producer;
    /** One transactional producer writes one batch at a time. */
    private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();

    public KafkaWriter(String bootstrapServers, Map<String, String> kafka, Duration timeout) {
        this.timeout = timeout;
        this.props = io.schoolstats.kafka.ProducerSettings.of(bootstrapServers, kafka);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "schoolstats-http-" + UUID.randomUUID());
        int millis = (int) timeout.toMillis();
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, millis);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1000, millis / 2));
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, millis + 1000);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // A batch abandoned by a failure holds back readers (read_committed) until the broker aborts
        // it: keep that short.
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 2 * millis + 5000);
    }

    public Duration timeout() {
        return timeout;
    }

    /**
     * Writes every record or none, each with the audit headers. One batch at a time (one
     * transactional producer); a request that cannot have the producer within the ingest timeout
     * gets {@link UnavailableException} rather than waiting longer.
     */
    public void write(List<Accepted> records, Audit audit) throws UnavailableException {
        try {
            if (!lock.tryLock(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                throw new UnavailableException("other batches kept the writer busy for " + timeout.toSeconds() + " s",
                        null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while waiting to write", e);
        }
        try {
            writeLocked(records, audit);
        } finally {
            lock.unlock();
        }
    }

    private void writeLocked(List<Accepted> records, Audit audit) throws UnavailableException {
        try {
            if (producer == null) {
                producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
                producer.initTransactions();
            }
            producer.beginTransaction();
            for (Accepted r : records) {
                producer.send(new ProducerRecord<>(r.topic(), null, r.key(), r.json(), audit.headers()));
            }
            producer.commitTransaction();
        } catch (KafkaException | IllegalStateException e) {
            discard();
            throw new UnavailableException("Kafka did not take the batch within " + timeout.toSeconds() + " s: "
                    + e.getMessage(), e);
        }
    }

    /** After a failure the producer's state is unknown: abort what can be aborted, start afresh next time. */
    private void discard() {
        if (producer == null) {
            return;
        }
        try {
            producer.abortTransaction();
        } catch (RuntimeException e) {
            LOG.debug("abort after a failed batch: {}", e.toString());
        }
        try {
            producer.close(Duration.ZERO);
        } catch (RuntimeException e) {
            LOG.debug("close after a failed batch: {}", e.toString());
        }
        producer = null;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (producer != null) {
                producer.close(timeout);
                producer = null;
            }
        } finally {
            lock.unlock();
        }
    }
}
