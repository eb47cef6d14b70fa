package io.schoolstats.stats;

import io.schoolstats.report.SchoolYear;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What an aggregate is about besides its unit: a kind and its coordinates. Encoded as a string
 * in store and topic keys: {@code attendance_day:2024-03-05}, {@code attendance_year:2023-2024},
 * {@code registered} and {@code registered:2023-2024} (see {@link #registered()}),
 * {@code completion:2023-2024:PRIMARY}, {@code exam:2023-2024:THPT_GRADUATION}.
 *
 * <p>A value: two periods are equal when their encodings are. Every store key and message
 * carries one, so the encoding (text and UTF-8) is made once, and decoding goes through a small
 * cache (there are few distinct periods: the school days and the kinds of a few school years).
 */
public final class Period {
    private static final int DECODED_CACHE = 4096;
    private static final Map<String, Period> DECODED = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Period> eldest) {
            return size() > DECODED_CACHE;
        }
    };

    private final Kind kind;
    private final String schoolYear;
    private final LocalDate date;
    private final String level;
    private final String exam;
    private final String encoded;
    private final byte[] utf8;

    private Period(Kind kind, String schoolYear, LocalDate date, String level, String exam) {
        this.kind = kind;
        this.schoolYear = schoolYear;
        this.date = date;
        this.level = level;
        this.exam = exam;
        this.encoded = switch (kind) {
            case ATTENDANCE_DAY -> "attendance_day:" + date;
            case ATTENDANCE_YEAR -> "attendance_year:" + schoolYear;
            case REGISTERED -> schoolYear == null ? "registered" : "registered:" + schoolYear;
            case COMPLETION -> "completion:" + schoolYear + ":" + level;
            case EXAM -> "exam:" + schoolYear + ":" + exam;
        };
        this.utf8 = encoded.getBytes(StandardCharsets.UTF_8);
    }

    public static Period attendanceDay(LocalDate date) {
        return new Period(Kind.ATTENDANCE_DAY, SchoolYear.of(date), date, null, null);
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

    public Kind kind() {
        return kind;
    }

    /** The school year; null only for the timeless part of registered schools. */
    public String schoolYear() {
        return schoolYear;
    }

    /** The school day of an attendance day, else null. */
    public LocalDate date() {
        return date;
    }

    public String level() {
        return level;
    }

    public String exam() {
        return exam;
    }

    public String encode() {
        return encoded;
    }

    /** The encoding as UTF-8 (shared: do not modify). */
    public byte[] utf8() {
        return utf8;
    }

    /** @throws IllegalArgumentException for text that {@link #encode()} did not write */
    public static Period decode(String text) {
        synchronized (DECODED) {
            Period cached = DECODED.get(text);
            if (cached != null) {
                return cached;
            }
        }
        Period period = parse(text);
        synchronized (DECODED) {
            DECODED.put(text, period);
        }
        return period;
    }

    private static Period parse(String text) {
        String[] parts = text.split(":");
        Kind kind = Kind.valueOf(parts[0].toUpperCase(Locale.ROOT));
        int expected = switch (kind) {
            case ATTENDANCE_DAY, ATTENDANCE_YEAR -> 2;
            case REGISTERED -> parts.length == 1 ? 1 : 2;
            case COMPLETION, EXAM -> 3;
        };
        if (parts.length != expected) {
            throw new IllegalArgumentException("not a period: " + text);
        }
        Period period = switch (kind) {
            case ATTENDANCE_DAY -> attendanceDay(LocalDate.parse(parts[1]));
            case ATTENDANCE_YEAR -> attendanceYear(parts[1]);
            case REGISTERED -> parts.length == 1 ? registered() : registered(parts[1]);
            case COMPLETION -> completion(parts[1], parts[2]);
            case EXAM -> exam(parts[1], parts[2]);
        };
        if (!period.encoded.equals(text)) {
            throw new IllegalArgumentException("not a period: " + text);
        }
        return period;
    }

    /** True only for the timeless part of registered schools: every other period has a school year. */
    public boolean timeless() {
        return schoolYear == null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Period p && encoded.equals(p.encoded);
    }

    @Override
    public int hashCode() {
        return encoded.hashCode();
    }

    @Override
    public String toString() {
        return encoded;
    }
}
