package io.schoolstats.report;

import java.time.Instant;

/** Program completion of one school for one level and school year; conductGood is optional. */
public record CompletionReport(String schoolId, String schoolYear, Level level, long assessed, long completed,
                               Long conductGood, long revision, Instant submittedAt) implements Report {
    @Override
    public ReportType reportType() {
        return ReportType.COMPLETION;
    }

    @Override
    public CompletionReport withSubmittedAt(Instant submittedAt) {
        return new CompletionReport(schoolId, schoolYear, level, assessed, completed, conductGood, revision, submittedAt);
    }

    @Override
    public String naturalKey() {
        return Report.naturalKeyPrefix(schoolId, ReportType.COMPLETION, schoolYear) + level;
    }
}
