package io.schoolstats.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * The text of {@code GET /metrics}, rendered in the background and swapped in whole, so that a
 * scrape only copies bytes: it renders nothing, compresses nothing and takes no lock. Rendering
 * reads every meter, and reading a Kafka client metric takes the lock its sensor takes on every
 * record the streams and producers count: done here, that is at most a few times a second
 * whatever the number of scrapers, instead of once per scrape.
 *
 * <p>{@link #renderIfDue()} runs right after each refresh of the snapshot ({@link StatsMetrics}):
 * it renders when a scrape came since the last rendering (whoever polls sees the latest
 * snapshot), else at least every {@link #MAX_AGE}, so that the copy is never older than that.
 */
public final class RenderedMetrics {
    /** The oldest the copy gets, when nobody scrapes. */
    public static final Duration MAX_AGE = Duration.ofSeconds(1);

    /** One rendering: the text, gzipped too (Prometheus asks for gzip), and when it was made. */
    public record Page(byte[] text, byte[] gzip, long renderedAtNanos) {
    }

    private final PrometheusMeterRegistry registry;
    private volatile Page page;
    private volatile boolean scraped;

    public RenderedMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
        render();
    }

    /** The latest page, as a scrape serves it. */
    public Page page() {
        scraped = true;
        return page;
    }

    /** Renders when a scrape came since the last rendering, or when the page is {@link #MAX_AGE} old. */
    public void renderIfDue() {
        if (scraped || System.nanoTime() - page.renderedAtNanos() >= MAX_AGE.toNanos()) {
            render();
        }
    }

    /** Renders now and swaps the new page in. */
    public void render() {
        scraped = false;
        long now = System.nanoTime();
        ByteArrayOutputStream text = new ByteArrayOutputStream(page == null ? 64 * 1024 : page.text().length + 4096);
        try {
            registry.scrape(text);
            byte[] bytes = text.toByteArray();
            ByteArrayOutputStream gzip = new ByteArrayOutputStream(bytes.length / 8 + 64);
            try (GZIPOutputStream out = new FastGzip(gzip)) {
                out.write(bytes);
            }
            page = new Page(bytes, gzip.toByteArray(), now);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writes to memory only
        }
    }

    /** Gzip at its fastest: the text compresses about tenfold even so, at a fraction of the cost. */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(ByteArrayOutputStream out) throws IOException {
            super(out, 64 * 1024);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }
}
