package io.schoolstats.report;

import java.time.Instant;

/**
 * A validated school report. The natural key names the fact a report states; for one natural
 * key the highest revision is the truth.
 */
public sealed interface Report permits AttendanceReport, CompletionReport, ExamReport {
    String schoolId();

    long revision();

    /** When the school says it submitted the report; null when neither the report nor Kafka said. */
    Instant submittedAt();

    /** The same report with another submission instant (the school stage keeps a natural key's first). */
    Report withSubmittedAt(Instant submittedAt);

    ReportType reportType();

    /**
     * The natural key, starting with the school id so that all of a school's reports sort
     * together: {@code schoolId|attendance|2024-03-05}.
     */
    String naturalKey();

    /**
     * What the natural key of every report of a school starts with, and of no other school's: a
     * school id holds no '|' ({@link Fields#isId}, and the JSON Schemas), so {@code S1|} never
     * prefixes a key of {@code S1|X} nor of {@code S10}.
     */
    static String naturalKeyPrefix(String schoolId) {
        return schoolId + "|";
    }

    /** What the natural keys of a school's completion or exam reports of one school year start with. */
    static String naturalKeyPrefix(String schoolId, ReportType type, String schoolYear) {
        if (type == ReportType.ATTENDANCE) {
            throw new IllegalArgumentException("attendance is keyed by date, not by school year");
        }
        return naturalKeyPrefix(schoolId) + type.label() + "|" + schoolYear + "|";
    }
}
