package io.schoolstats.report;

/** Education levels: mầm non, tiểu học, THCS, THPT. */
public enum Level {
    PRESCHOOL, PRIMARY, LOWER_SECONDARY, UPPER_SECONDARY
}
