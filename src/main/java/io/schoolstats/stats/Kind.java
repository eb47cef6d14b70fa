package io.schoolstats.stats;

import static io.schoolstats.stats.Measure.*;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What an aggregate counts. Each kind lists its measures: an aggregate is a vector of counts in
 * that order, so that adding and subtracting contributions is element-wise. Only this class
 * knows the order; everything else reads a measure by name ({@link Aggregate#get}).
 */
public enum Kind {
    /** One school day. */
    ATTENDANCE_DAY(PRESENT, ENROLLED, REPORTING_SCHOOLS, ON_TIME_SCHOOLS),
    /** All school days of a school year so far. */
    ATTENDANCE_YEAR(PRESENT, ENROLLED, SCHOOL_DAYS, REPORTING_SCHOOLS, ON_TIME_DAYS),
    /** Schools registered (see {@link Period#registered()} for the timeless part). */
    REGISTERED(REGISTERED_SCHOOLS),
    /** Program completion. */
    COMPLETION(ASSESSED, COMPLETED, CONDUCT_GOOD, CONDUCT_ASSESSED, REPORTING_SCHOOLS, ON_TIME_SCHOOLS),
    /** Exam results: candidates, passed, 10 score bands, 4 awards, the schools that reported and those on time. */
    EXAM(CANDIDATES, PASSED, BAND_0_1, BAND_1_2, BAND_2_3, BAND_3_4, BAND_4_5, BAND_5_6, BAND_6_7, BAND_7_8,
            BAND_8_9, BAND_9_10, AWARD_FIRST, AWARD_SECOND, AWARD_THIRD, AWARD_CONSOLATION, REPORTING_SCHOOLS,
            ON_TIME_SCHOOLS);

    private final List<Measure> measures;
    private final Map<Measure, Integer> index = new EnumMap<>(Measure.class);

    Kind(Measure... measures) {
        this.measures = List.of(measures);
        for (int i = 0; i < measures.length; i++) {
            index.put(measures[i], i);
        }
    }

    public List<Measure> measures() {
        return measures;
    }

    public int size() {
        return measures.size();
    }

    /** Where a measure sits in this kind's vectors. */
    int indexOf(Measure measure) {
        Integer i = index.get(measure);
        if (i == null) {
            throw new IllegalArgumentException(this + " has no measure " + measure);
        }
        return i;
    }

    /** A new vector of this kind from counts given by name; unnamed measures are 0. */
    public long[] vector(Map<Measure, Long> counts) {
        long[] v = new long[size()];
        counts.forEach((m, c) -> v[indexOf(m)] = c);
        return v;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
