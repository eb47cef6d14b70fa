package io.schoolstats.stats;

/** One aggregate as readers see it: its period and its counts, read by measure name. */
public record Aggregate(Period period, long[] counts) {

    public long get(Measure measure) {
        return counts[period.kind().indexOf(measure)];
    }

    /** {@code numerator / denominator} of two of its measures. */
    public Ratio ratio(Measure numerator, Measure denominator) {
        return new Ratio(get(numerator), get(denominator));
    }

    /** The measure of an aggregate that may be absent (0 then). */
    public static long get(Aggregate aggregate, Measure measure) {
        return aggregate == null ? 0 : aggregate.get(measure);
    }
}
