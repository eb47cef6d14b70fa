package io.schoolstats.stage;

import io.schoolstats.stats.Period;

/** A change of one aggregate: add {@code counts} (which may be negative) to {@code period}. */
public record PeriodDelta(Period period, long[] counts) {
}
