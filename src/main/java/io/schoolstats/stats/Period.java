package io.schoolstats.stats;

import java.time.LocalDate;

/**
 * What an aggregate is about besides its unit: a kind and its coordinates. Encoded as a string
 * in store and topic keys: {@code attendance_day:2024-03-05}, {@code attendance_year:2023-2024},
 * {@code registered} and {@code registered:2023-2024} (see {@link #registered()}), {@code completion:2023-2024:PRIMARY},
 * {@code exam:2023-2024:THPT_GRADUATION}.
 */
public record Period(Kind kind, String schoolYear, LocalDate date, String level, String exam) {

    public static Period attendanceDay(LocalDate date) {
        return new Period(Kind.ATTENDANCE_DAY, io.schoolstats.report.SchoolYear.of(date), date, null, null);
    }

    public static Period attendanceYear(String schoolYear) {
        return new Period(Kind.ATTENDANCE_YEAR, schoolYear, null, null, null);
    }

    /**
     * Schools registered by timeless reference rows: they count in every school year. The
     * engine keeps a school year's registered schools as this timeless part plus a correction,
     * {@link #registered(String)}, for the year rows that differ from the timeless ones: the
     * schools registered in a unit in year Y are {@code registered + registered:Y}. (A cluster,
     * which exists for one school year, keeps only {@code registered:Y}, the whole count.)
     */
    public static Period registered() {
        return new Period(Kind.REGISTERED, null, null, null, null);
    }

    /** The school year's part of the registered schools (see {@link #registered()}). */
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

    /** @throws IllegalArgumentException for text that {@link #encode()} did not write */
    public static Period decode(String text) {
        String[] parts = text.split(":");
        Kind kind = Kind.valueOf(parts[0].toUpperCase(java.util.Locale.ROOT));
        int expected = switch (kind) {
            case ATTENDANCE_DAY, ATTENDANCE_YEAR -> 2;
            case REGISTERED -> parts.length == 1 ? 1 : 2;
            case COMPLETION, EXAM -> 3;
        };
        if (parts.length != expected) {
            throw new IllegalArgumentException("not a period: " + text);
        }
        return switch (kind) {
            case ATTENDANCE_DAY -> attendanceDay(LocalDate.parse(parts[1]));
            case ATTENDANCE_YEAR -> attendanceYear(parts[1]);
            case REGISTERED -> parts.length == 1 ? registered() : registered(parts[1]);
            case COMPLETION -> completion(parts[1], parts[2]);
            case EXAM -> exam(parts[1], parts[2]);
        };
    }

    /** True only for the timeless part of registered schools: every other period has a school year. */
    public boolean timeless() {
        return schoolYear == null;
    }

    @Override
    public String toString() {
        return encode();
    }
}
