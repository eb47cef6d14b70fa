package io.schoolstats.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * A piece of the {@code /metrics} page, in the Prometheus text format, as bytes: written once,
 * served to every scrape. Its gzip form is made on the first scrape that asks for it and kept.
 * Gzip members may follow one another (RFC 1952, section 2.2), so a gzipped page is its parts'
 * gzip forms one after the other, each compressed once.
 */
public final class TextPart {
    public static final TextPart EMPTY = new TextPart(new byte[0]);

    private final byte[] text;
    private byte[] gzip;

    public TextPart(byte[] text) {
        this.text = text;
    }

    /** The text (shared: do not modify). */
    public byte[] text() {
        return text;
    }

    /** The text as one gzip member (shared: do not modify). */
    public synchronized byte[] gzip() {
        if (gzip == null) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(text.length / 8 + 64);
            try (GZIPOutputStream zip = new FastGzip(out)) {
                zip.write(text);
            } catch (IOException e) {
                throw new UncheckedIOException(e); // writes to memory only
            }
            gzip = out.toByteArray();
        }
        return gzip;
    }

    /** Gzip at its fastest: the text compresses about tenfold even so, at a fraction of the cost. */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(ByteArrayOutputStream out) throws IOException {
            super(out, 64 * 1024);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }
}
