package io.schoolstats.report;

import java.time.Instant;

/**
 * An evaluator's points for one member of an emulation cluster on one criterion of the cluster's
 * scoring scheme, for one school year (issue 14). The natural key is (clusterId, schoolYear,
 * member, criterion); as with every report, the highest {@code revision} wins. Points are held in
 * hundredths ({@code 18.5} is 1850): people write at most two decimals, and sums stay exact.
 */
public record EmulationScore(String clusterId, String schoolYear, String member, String criterion, long hundredths,
                             long revision, Instant submittedAt) {
    /** The report type's label in URLs, file names, metrics and schemas. */
    public static final String LABEL = "emulation_score";
    /** The most points one criterion may carry (as a scheme's {@code maxPoints}). */
    public static final long MAX_HUNDREDTHS = 1_000_000;

    /** The points, as people write them. */
    public double points() {
        return hundredths / 100.0;
    }
}
