package io.schoolstats.report;

import java.time.Instant;
import java.time.LocalDate;

/** Daily attendance of one school: pupils present out of pupils enrolled. */
public record AttendanceReport(String schoolId, LocalDate date, long enrolled, long present,
                               long revision, Instant submittedAt) implements Report {
    @Override
    public ReportType reportType() {
        return ReportType.ATTENDANCE;
    }

    @Override
    public AttendanceReport withSubmittedAt(Instant submittedAt) {
        return new AttendanceReport(schoolId, date, enrolled, present, revision, submittedAt);
    }

    @Override
    public String naturalKey() {
        return naturalKey(schoolId, date);
    }

    public static String naturalKey(String schoolId, LocalDate date) {
        return naturalKeyPrefix(schoolId) + date;
    }

    /** What the natural keys of a school's attendance reports start with. */
    public static String naturalKeyPrefix(String schoolId) {
        return Report.naturalKeyPrefix(schoolId) + "attendance|";
    }

    public String schoolYear() {
        return SchoolYear.of(date);
    }
}
