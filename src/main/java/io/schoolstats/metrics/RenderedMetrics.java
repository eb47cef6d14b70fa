package io.schoolstats.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

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
            return stream(TextPart::text);
        }

        /** The page gzipped: its parts' gzip members one after the other. */
        public InputStream gzip() {
            return stream(TextPart::gzip);
        }

        private InputStream stream(Function<TextPart, byte[]> bytes) {
            List<InputStream> streams = new ArrayList<>();
            parts.forEach(p -> streams.add(new ByteArrayInputStream(bytes.apply(p))));
            return new SequenceInputStream(Collections.enumeration(streams));
        }

        /** The whole text, for tests and tools. */
        public String asString() {
            StringBuilder out = new StringBuilder();
            parts.forEach(p -> out.append(new String(p.text(), StandardCharsets.UTF_8)));
            return out.toString();
        }
    }

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
                ByteArrayOutputStream text = new ByteArrayOutputStream(last == null ? 64 * 1024
                        : last.part().text().length + 4096);
                try {
                    registry.scrape(text);
                } catch (IOException e) {
                    throw new UncheckedIOException(e); // writes to memory only
                }
                last = new Rendered(new TextPart(text.toByteArray()), now);
                meters = last;
            }
            return last.part();
        }
    }
}
