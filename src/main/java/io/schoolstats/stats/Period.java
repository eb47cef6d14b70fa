package io.schoolstats.stats;

import java.time.LocalDate;

/**
 * What an aggregate is about besides its unit: a kind and its coordinates. Encoded as a string
 * in store and topic keys: {@code attendance_day:2024-03-05}, {@code attendance_year:2023-2024},
 * {@code registered}, {@code registered:2023-2024} (clusters), {@code completion:2023-2024:PRIMARY},
 * {@code exam:2023-2024:THPT_GRADUATION}.
 */
public record Period(Kind kind, String schoolYear, LocalDate date, String level, String exam) {

    public static Period attendanceDay(LocalDate date) {
        return new Period(Kind.ATTENDANCE_DAY, io.schoolstats.report.SchoolYear.of(date), date, null, null);
    }

    public static Period attendanceYear(String schoolYear) {
        return new Period(Kind.ATTENDANCE_YEAR, schoolYear, null, null, null);
    }

    /** Registered schools of a district or province: no school year. */
    public static Period registered() {
        return new Period(Kind.REGISTERED, null, null, null, null);
    }

    /** Registered schools of a cluster's members for one school year. */
    public static Period registered(String schoolYear) {
        return new Period(Kind.REGISTERED, schoolYear, null, null, null);
    }

    public static Period completion(String schoolYear, String level) {
        return new Period(Kind.COMPLETION, schoolYear, null, level, null);
    }

    public static Period exam(String schoolYear, String exam) {
        return new Period(Kind.EXAM, schoolYear, null, null, exam);
    }

    public String encode() {
        return switch (kind) {
            case ATTENDANCE_DAY -> "attendance_day:" + date;
            case ATTENDANCE_YEAR -> "attendance_year:" + schoolYear;
            case REGISTERED -> schoolYear == null ? "registered" : "registered:" + schoolYear;
            case COMPLETION -> "completion:" + schoolYear + ":" + level;
            case EXAM -> "exam:" + schoolYear + ":" + exam;
        };
    }

    public static Period decode(String text) {
        String[] parts = text.split(":");
        Kind kind = Kind.valueOf(parts[0].toUpperCase(java.util.Locale.ROOT));
        return switch (kind) {
            case ATTENDANCE_DAY -> attendanceDay(LocalDate.parse(parts[1]));
            case ATTENDANCE_YEAR -> attendanceYear(parts[1]);
            case REGISTERED -> parts.length == 1 ? registered() : registered(parts[1]);
            case COMPLETION -> completion(parts[1], parts[2]);
            case EXAM -> exam(parts[1], parts[2]);
        };
    }

    /** The same period as seen by a cluster of the given school year (only registered differs). */
    public Period forClusterYear(String clusterYear) {
        return kind == Kind.REGISTERED ? registered(clusterYear) : this;
    }

    @Override
    public String toString() {
        return encode();
    }
}
