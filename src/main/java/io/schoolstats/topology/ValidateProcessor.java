package io.schoolstats.topology;

import io.schoolstats.ingest.Audit;
import io.schoolstats.report.Parsed;
import io.schoolstats.report.Utf8;
import io.schoolstats.report.Violation;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Parses and validates raw input records right after their source, where the record's topic,
 * partition and offset are still known. A valid record goes on with a new key; an invalid one
 * becomes a rejection envelope. Nothing here throws: bad input is data.
 */
final class ValidateProcessor<V> implements Processor<byte[], byte[], String, Validated<V>> {
    /** Parses a record; a valid result with a null value is a deletion (reference tombstone). */
    interface Parser<V> {
        Parsed<V> parse(String key, byte[] value, long timestamp);
    }

    /** The key a valid record travels on. */
    interface Keyer<V> {
        String key(String originalKey, V value);
    }

    private final Parser<V> parser;
    private final Keyer<V> keyer;
    private final Runnable onReject;
    private ProcessorContext<String, Validated<V>> context;

    ValidateProcessor(Parser<V> parser, Keyer<V> keyer, Runnable onReject) {
        this.parser = parser;
        this.keyer = keyer;
        this.onReject = onReject;
    }

    @Override
    public void init(ProcessorContext<String, Validated<V>> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        Parsed<V> parsed = parse(parser, key, record);
        if (parsed.isValid()) {
            context.forward(record.withKey(keyer.key(key, parsed.value())).withValue(new Validated<>(parsed.value(), null)));
            return;
        }
        onReject.run();
        Record<String, byte[]> rejection = rejection(context.recordMetadata().orElse(null), record, parsed);
        context.forward(rejection.withValue(new Validated<V>(null, rejection.value())));
    }

    /** Parses a record; never throws. */
    static <V> Parsed<V> parse(Parser<V> parser, String key, Record<byte[], byte[]> record) {
        try {
            return parser.parse(key, record.value(), record.timestamp());
        } catch (RuntimeException e) {
            // A validator bug must not stop the app or lose the record: reject it with the cause.
            return Parsed.invalid(new Violation(null, Violation.Reason.MALFORMED_JSON, "could not be read: " + e));
        }
    }

    /** The record for {@code reports.rejected} that says why {@code record}, read from {@code meta}, is invalid. */
    static Record<String, byte[]> rejection(RecordMetadata meta, Record<byte[], byte[]> record, Parsed<?> parsed) {
        byte[] envelope = Rejections.envelope(
                meta == null ? null : meta.topic(), meta == null ? -1 : meta.partition(), meta == null ? -1 : meta.offset(),
                record.timestamp(), record.key(), record.value(), parsed.violations(), record.headers());
        // The rejection record itself is bounded too: its key only when short and UTF-8 (the envelope
        // describes any key), and of the headers only the audit ones.
        String rejectionKey = record.key() != null && record.key().length <= Rejections.KEY_PREFIX_BYTES
                ? Utf8.text(record.key()) : null;
        return record.withKey(rejectionKey).withValue(envelope).withHeaders(Audit.bounded(record.headers()));
    }
}
