package io.schoolstats.stats;

import java.util.List;
import java.util.Locale;

/**
 * What an aggregate counts. Each kind names its measures: an aggregate is a vector of counts in
 * that order, so that adding and subtracting contributions is element-wise.
 */
public enum Kind {
    /** One school day: pupils present, enrolled, and schools that reported. */
    ATTENDANCE_DAY("present", "enrolled", "reportingSchools"),
    /** All school days of a school year so far; reports counts school-days. */
    ATTENDANCE_YEAR("present", "enrolled", "reports", "reportingSchools"),
    /** Schools registered in the unit (for a cluster: in its members of that school year). */
    REGISTERED("registeredSchools"),
    /** Program completion; conductAssessed is the assessed count of the reports that gave conductGood. */
    COMPLETION("assessed", "completed", "conductGood", "conductAssessed"),
    /** Exam results: candidates, passed, 10 score bands, 4 awards. */
    EXAM("candidates", "passed",
            "band_0_1", "band_1_2", "band_2_3", "band_3_4", "band_4_5",
            "band_5_6", "band_6_7", "band_7_8", "band_8_9", "band_9_10",
            "award_first", "award_second", "award_third", "award_consolation");

    /** Index of the first score band within {@link #EXAM}'s measures. */
    public static final int FIRST_BAND = 2;
    /** Index of the first award within {@link #EXAM}'s measures. */
    public static final int FIRST_AWARD = 12;
    public static final List<String> AWARDS = List.of("first", "second", "third", "consolation");

    private final List<String> measures;

    Kind(String... measures) {
        this.measures = List.of(measures);
    }

    public List<String> measures() {
        return measures;
    }

    public int size() {
        return measures.size();
    }

    public int index(String measure) {
        int i = measures.indexOf(measure);
        if (i < 0) {
            throw new IllegalArgumentException(this + " has no measure " + measure);
        }
        return i;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The band label of a score band index 0..9: {@code 0-1} ... {@code 9-10}. */
    public static String bandLabel(int band) {
        return band + "-" + (band + 1);
    }
}
