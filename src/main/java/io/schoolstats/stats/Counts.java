package io.schoolstats.stats;

/**
 * Arithmetic on count vectors (see {@link Kind} for what each position means). Plain arrays
 * keep the hot path free of boxing; null stands for "nothing".
 */
public final class Counts {
    private Counts() {
    }

    /** a + b; either may be null. */
    public static long[] plus(long[] a, long[] b) {
        if (a == null) {
            return b == null ? null : b.clone();
        }
        if (b == null) {
            return a.clone();
        }
        long[] sum = a.clone();
        for (int i = 0; i < sum.length; i++) {
            sum[i] += b[i];
        }
        return sum;
    }

    /** a - b; either may be null. */
    public static long[] minus(long[] a, long[] b) {
        return plus(a, negate(b));
    }

    public static long[] negate(long[] a) {
        if (a == null) {
            return null;
        }
        long[] n = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            n[i] = -a[i];
        }
        return n;
    }

    public static boolean isZero(long[] a) {
        if (a == null) {
            return true;
        }
        for (long v : a) {
            if (v != 0) {
                return false;
            }
        }
        return true;
    }

    /** null for an all-zero vector: an aggregate with nothing in it is no aggregate. */
    public static long[] orNull(long[] a) {
        return isZero(a) ? null : a;
    }
}
