package io.schoolstats.metrics;

import java.io.ByteArrayOutputStream;
import java.util.zip.Deflater;

/**
 * A piece of the {@code /metrics} page, in the Prometheus text format, as bytes: written once,
 * served to every scrape. Its compressed form, raw deflate ending on a byte boundary (a sync
 * flush, as pigz does), is made on the first scrape that asks for gzip and kept: the deflate
 * streams of a page's parts, one after the other, are one deflate stream, which
 * {@link RenderedMetrics.Page#gzip()} wraps in one gzip header and trailer. (Several gzip members
 * one after the other are valid gzip too, but some clients, curl among them, read only the
 * first.)
 */
public final class TextPart {
    public static final TextPart EMPTY = new TextPart(new byte[0]);

    private final byte[] text;
    private byte[] deflated;

    public TextPart(byte[] text) {
        this.text = text;
    }

    /** The text (shared: do not modify). */
    public byte[] text() {
        return text;
    }

    /** The text as raw deflate blocks, none of them final, ending on a byte boundary (shared: do not modify). */
    public synchronized byte[] deflated() {
        if (deflated == null) {
            Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
            try {
                deflater.setInput(text);
                ByteArrayOutputStream out = new ByteArrayOutputStream(text.length / 8 + 64);
                byte[] buffer = new byte[64 * 1024];
                int n;
                // A sync flush compresses all the input and ends on a byte boundary, without a final block.
                while ((n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH)) > 0) {
                    out.write(buffer, 0, n);
                }
                deflated = out.toByteArray();
            } finally {
                deflater.end();
            }
        }
        return deflated;
    }
}
