package io.schoolstats.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import java.util.zip.CRC32;

/**
 * The text of {@code GET /metrics}: the service's own meters (JVM, Kafka clients, report outcomes)
 * rendered by the registry, followed by the aggregates' series that {@link StatsMetrics} wrote
 * at its last refresh. A scrape copies bytes; it renders the aggregates never.
 *
 * <p>The registry's part is rendered when a scrape finds it older than {@link #MAX_AGE}, by one
 * scrape while the others wait for it, so at most once a second whatever the number of scrapers:
 * reading a Kafka client metric takes the lock its sensor takes on every record the streams
 * count. Nothing is rendered while nobody scrapes (rendering once a second in the background
 * cost the benchmark a fifth of its CPU, README Performance).
 */
public final class RenderedMetrics {
    /** The oldest the registry's part of a page gets. */
    public static final Duration MAX_AGE = Duration.ofSeconds(1);

    /** One page: its parts, in order. */
    public record Page(List<TextPart> parts) {
        public InputStream text() {
            return stream(TextPart::stream);
        }

        /** The page gzipped: one gzip member whose deflate stream is its parts' one after the other (see {@link TextPart}). */
        public InputStream gzip() {
            CRC32 crc = new CRC32();
            long size = 0;
            List<InputStream> streams = new ArrayList<>();
            streams.add(new ByteArrayInputStream(GZIP_HEADER));
            for (TextPart part : parts) {
                part.update(crc);
                size += part.length();
                streams.add(part.deflated());
            }
            // A final empty block with fixed codes ends the deflate stream, then CRC-32 and size (RFC 1952).
            ByteBuffer trailer = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
            trailer.put((byte) 0x03).put((byte) 0x00).putInt((int) crc.getValue()).putInt((int) size);
            streams.add(new ByteArrayInputStream(trailer.array()));
            return new SequenceInputStream(Collections.enumeration(streams));
        }

        private InputStream stream(Function<TextPart, InputStream> part) {
            List<InputStream> streams = new ArrayList<>();
            parts.forEach(p -> streams.add(part.apply(p)));
            return new SequenceInputStream(Collections.enumeration(streams));
        }

        /** The whole text, for tests and tools. */
        public String asString() {
            StringBuilder out = new StringBuilder();
            parts.forEach(p -> out.append(p.asString()));
            return out.toString();
        }
    }

    /** Gzip magic, deflate, no flags, no time, no extra flags, unknown OS. */
    private static final byte[] GZIP_HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private record Rendered(TextPart part, long atNanos) {
    }

    private final PrometheusMeterRegistry registry;
    private final StatsMetrics stats;
    private volatile Rendered meters;

    public RenderedMetrics(PrometheusMeterRegistry registry, StatsMetrics stats) {
        this.registry = registry;
        this.stats = stats;
    }

    /** The page as a scrape serves it now. */
    public Page page() {
        List<TextPart> parts = new ArrayList<>();
        parts.add(meters());
        parts.addAll(stats.parts());
        return new Page(parts);
    }

    private TextPart meters() {
        Rendered last = meters;
        if (last != null && System.nanoTime() - last.atNanos() < MAX_AGE.toNanos()) {
            return last.part();
        }
        synchronized (this) {
            // Another scrape may have rendered it while this one waited.
            last = meters;
            if (last == null || System.nanoTime() - last.atNanos() >= MAX_AGE.toNanos()) {
                long now = System.nanoTime();
                ChunkedBytes text = new ChunkedBytes();
                try {
                    registry.scrape(text);
                } catch (IOException e) {
                    throw new UncheckedIOException(e); // writes to memory only
                }
                last = new Rendered(new TextPart(text.chunks()), now);
                meters = last;
            }
            return last.part();
        }
    }
}
