package io.schoolstats.metrics;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A piece of the {@code /metrics} page, in the Prometheus text format, as bytes: written once,
 * served to every scrape. The bytes are held in chunks of at most {@link ChunkedBytes#MAX_CHUNK}
 * (it says why), and so is their compressed form: raw deflate ending on a byte boundary (a sync
 * flush, as pigz does), made on the first scrape that asks for gzip and kept. The deflate
 * streams of a page's parts, one after the other, are one deflate stream, which
 * {@link RenderedMetrics.Page#gzip()} wraps in one gzip header and trailer. (Several gzip members
 * one after the other are valid gzip too, but some clients, curl among them, read only the
 * first.)
 */
public final class TextPart {
    public static final TextPart EMPTY = new TextPart(List.of());

    private final List<byte[]> chunks;
    private final long length;
    private List<byte[]> deflated;

    /** @param chunks the text, in order (shared: not modified, and not to be) */
    TextPart(List<byte[]> chunks) {
        this.chunks = List.copyOf(chunks);
        this.length = chunks.stream().mapToLong(c -> c.length).sum();
    }

    /** The length of the text in bytes. */
    public long length() {
        return length;
    }

    /** The text. */
    public InputStream stream() {
        return stream(chunks);
    }

    /** Adds the text to a checksum. */
    void update(CRC32 crc) {
        chunks.forEach(crc::update);
    }

    /** The text as a string, for tests and tools. */
    public String asString() {
        try {
            return new String(stream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e); // reads memory only
        }
    }

    /** The text as raw deflate blocks, none of them final, ending on a byte boundary. */
    public InputStream deflated() {
        return stream(deflatedChunks());
    }

    /** The compressed chunks, made once (shared: do not modify). */
    synchronized List<byte[]> deflatedChunks() {
        if (deflated == null) {
            List<byte[]> out = new ArrayList<>();
            byte[] buffer = new byte[ChunkedBytes.MAX_CHUNK];
            Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
            try {
                for (byte[] chunk : chunks) {
                    deflater.setInput(chunk);
                    while (!deflater.needsInput()) {
                        collect(deflater, Deflater.NO_FLUSH, buffer, out);
                    }
                }
                // A sync flush compresses all the input and ends on a byte boundary, without a final block.
                while (collect(deflater, Deflater.SYNC_FLUSH, buffer, out) > 0) {
                    // until nothing is left
                }
            } finally {
                deflater.end();
            }
            deflated = List.copyOf(out);
        }
        return deflated;
    }

    private static int collect(Deflater deflater, int flush, byte[] buffer, List<byte[]> out) {
        int n = deflater.deflate(buffer, 0, buffer.length, flush);
        if (n > 0) {
            out.add(java.util.Arrays.copyOf(buffer, n));
        }
        return n;
    }

    private static InputStream stream(List<byte[]> chunks) {
        List<InputStream> streams = new ArrayList<>(chunks.size());
        chunks.forEach(c -> streams.add(new ByteArrayInputStream(c)));
        return new SequenceInputStream(Collections.enumeration(streams));
    }
}
