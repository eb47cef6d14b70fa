package io.schoolstats.metrics;

import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Bytes written in pieces of at most {@link #MAX_CHUNK} bytes, never into one growing array.
 *
 * <p>The text of {@code /metrics} runs to megabytes at a national scale, rebuilt several times a
 * second. Built in a {@code StringBuilder} (UTF-16 as soon as a name is Vietnamese), grown by
 * copying and then encoded, it took arrays of half a megabyte and more: "humongous" objects for
 * a JVM with 1 MB heap regions (any heap under 2 GB), each allocated outside the young
 * generation, and each able to start a concurrent collection cycle: 97 such cycles in a JFR
 * profile of {@code bench --days 20}, nearly all started by this text (README, Performance).
 */
final class ChunkedBytes extends OutputStream {
    /** Far below half a region of the smallest heap regions (1 MB). */
    static final int MAX_CHUNK = 16 * 1024;
    private static final int FIRST_CHUNK = 1024;

    private final List<byte[]> chunks = new ArrayList<>();
    private byte[] current = new byte[FIRST_CHUNK];
    private int used;

    @Override
    public void write(int b) {
        if (used == current.length) {
            next();
        }
        current[used++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        while (length > 0) {
            if (used == current.length) {
                next();
            }
            int n = Math.min(length, current.length - used);
            System.arraycopy(bytes, offset, current, used, n);
            used += n;
            offset += n;
            length -= n;
        }
    }

    @Override
    public void write(byte[] bytes) {
        write(bytes, 0, bytes.length);
    }

    /** Appends a string of ASCII characters only (numbers, names of our own). */
    ChunkedBytes ascii(String text) {
        for (int i = 0; i < text.length(); i++) {
            write(text.charAt(i));
        }
        return this;
    }

    /** The bytes written so far, as full chunks (the last one trimmed). */
    List<byte[]> chunks() {
        List<byte[]> out = new ArrayList<>(chunks);
        if (used > 0) {
            out.add(used == current.length ? current : Arrays.copyOf(current, used));
        }
        return out;
    }

    private void next() {
        chunks.add(current);
        // Chunks grow to MAX_CHUNK, so that a family of a few series costs a small array.
        current = new byte[Math.min(MAX_CHUNK, current.length * 2)];
        used = 0;
    }
}
