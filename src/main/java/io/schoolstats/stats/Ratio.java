package io.schoolstats.stats;

import java.math.BigInteger;

/** A rate as sum of numerators over sum of denominators; no rate when the denominator is 0. */
public record Ratio(long numerator, long denominator) implements Comparable<Ratio> {

    public boolean defined() {
        return denominator > 0;
    }

    /** The value in [0, 1]; NaN when undefined (callers skip those). */
    public double value() {
        return defined() ? (double) numerator / denominator : Double.NaN;
    }

    /** Exact comparison (cross-multiplied), so that equal rates tie exactly. */
    @Override
    public int compareTo(Ratio other) {
        return BigInteger.valueOf(numerator).multiply(BigInteger.valueOf(other.denominator))
                .compareTo(BigInteger.valueOf(other.numerator).multiply(BigInteger.valueOf(denominator)));
    }
}
