package io.schoolstats.stats;

import java.util.Locale;

/**
 * Every count the engine keeps, named once. A {@link Kind} lists the measures of its
 * aggregates; readers ask an {@link Aggregate} for a measure by name, never by position.
 * Adding a measure: add it here, list it in its kind, and say in {@link Contributions} what a
 * report adds to it.
 */
public enum Measure {
    PRESENT, ENROLLED,
    /** Schools that reported (for a school year: schools that reported at least one day). */
    REPORTING_SCHOOLS,
    /** School-days reported over a school year. */
    SCHOOL_DAYS,
    /**
     * Schools whose report was submitted by its deadline ({@link Deadlines}): for a natural key,
     * its first submission's timeliness, whichever revision wins.
     */
    ON_TIME_SCHOOLS,
    /** School-days reported by the day's deadline, over a school year. */
    ON_TIME_DAYS,
    REGISTERED_SCHOOLS,
    ASSESSED, COMPLETED, CONDUCT_GOOD,
    /** The assessed count of the completion reports that gave conductGood. */
    CONDUCT_ASSESSED,
    CANDIDATES, PASSED,
    BAND_0_1, BAND_1_2, BAND_2_3, BAND_3_4, BAND_4_5, BAND_5_6, BAND_6_7, BAND_7_8, BAND_8_9, BAND_9_10,
    AWARD_FIRST, AWARD_SECOND, AWARD_THIRD, AWARD_CONSOLATION;

    /** The ten score bands, lowest first. */
    public static final Measure[] BANDS = {BAND_0_1, BAND_1_2, BAND_2_3, BAND_3_4, BAND_4_5, BAND_5_6, BAND_6_7,
        BAND_7_8, BAND_8_9, BAND_9_10};
    /** The four awards, first prize first. */
    public static final Measure[] AWARDS = {AWARD_FIRST, AWARD_SECOND, AWARD_THIRD, AWARD_CONSOLATION};

    /** camelCase, as in {@code stats.*} JSON: {@code reportingSchools}, {@code band_0_1} for bands. */
    public String jsonName() {
        String lower = name().toLowerCase(Locale.ROOT);
        if (lower.startsWith("band_") || lower.startsWith("award_")) {
            return lower;
        }
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : lower.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    /** The label of a band ({@code 0-1} ... {@code 9-10}) or award ({@code first} ...), as in metric labels. */
    public String label() {
        String lower = name().toLowerCase(Locale.ROOT);
        if (lower.startsWith("band_")) {
            return lower.substring(5).replace('_', '-');
        }
        if (lower.startsWith("award_")) {
            return lower.substring(6);
        }
        return lower;
    }
}
