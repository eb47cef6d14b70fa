package io.schoolstats.ingest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body read through two limits: past {@code limit} bytes a read fails with
 * {@link TooLarge}, whatever the client declared; and a body that arrives slower than
 * {@code minBytesPerSecond} fails with {@link TooSlow}, so that a client trickling its body
 * cannot hold a server thread for long. The rate counts only the time spent waiting for the
 * client, not the time the server takes between reads (a small body read after a pause of the
 * server is not slow: Jetty's own minimum data rate counts from the first byte and would cut it).
 */
public final class BoundedInput extends FilterInputStream {
    /** Waiting shorter than this is never too slow (a connection's first round trips). */
    private static final long GRACE_NANOS = 2_000_000_000L;

    private final long limit;
    private final long minBytesPerSecond;
    private long read;
    private long waitedNanos;

    public BoundedInput(InputStream in, long limit, long minBytesPerSecond) {
        super(in);
        this.limit = limit;
        this.minBytesPerSecond = minBytesPerSecond;
    }

    /** The body was longer than the limit. */
    public static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(long limit) {
            super("the body is larger than " + limit + " bytes");
        }
    }

    /** The body arrived slower than the minimum rate. */
    public static final class TooSlow extends IOException {
        private static final long serialVersionUID = 1L;

        TooSlow(long minBytesPerSecond) {
            super("the body arrived slower than " + minBytesPerSecond + " bytes/s");
        }
    }

    @Override
    public int read() throws IOException {
        long start = System.nanoTime();
        int b = super.read();
        count(b < 0 ? 0 : 1, start);
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        long start = System.nanoTime();
        // One byte past the limit is enough to know the body is too large.
        int n = super.read(buffer, offset, (int) Math.min(length, limit - read + 1));
        count(Math.max(n, 0), start);
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long start = System.nanoTime();
        long skipped = super.skip(Math.min(n, limit - read + 1));
        count(skipped, start);
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Leaves the body's own stream open: it is the server's, and {@link #drain} may still read it. */
    @Override
    public void close() {
        // nothing of ours to release
    }

    private void count(long n, long waitStart) throws IOException {
        read += n;
        waitedNanos += System.nanoTime() - waitStart;
        if (read > limit) {
            throw new TooLarge(limit);
        }
        if (minBytesPerSecond > 0 && waitedNanos > GRACE_NANOS
                && read < minBytesPerSecond * (waitedNanos / 1_000_000) / 1000) {
            throw new TooSlow(minBytesPerSecond);
        }
    }

    /**
     * Reads and drops the rest of the body (at most up to the limit), so that a client still
     * sending gets the answer instead of a reset connection; false when it was too large or broke.
     */
    public boolean drain() {
        byte[] buffer = new byte[8192];
        try {
            while (read(buffer, 0, buffer.length) >= 0) {
                // dropped
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
