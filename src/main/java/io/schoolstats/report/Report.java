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

    ReportType reportType();

    /**
     * The natural key, starting with the school id so that all of a school's reports sort
     * together: {@code schoolId|attendance|2024-03-05}.
     */
    String naturalKey();
}
