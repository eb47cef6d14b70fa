package io.schoolstats.report;

import java.time.Instant;
import java.util.List;

/**
 * Exam results of one school for one exam and school year. scoreBands (10 counts of papers
 * scoring [0,1) ... [9,10]) and awards are optional, so both may be null.
 */
public record ExamReport(String schoolId, String schoolYear, String exam, long candidates, long passed,
                         List<Long> scoreBands, Awards awards, long revision, Instant submittedAt)
        implements Report {

    /** Giải nhất, nhì, ba, khuyến khích. */
    public record Awards(long first, long second, long third, long consolation) {
        /** Each award is at most {@link Fields#MAX_COUNT}, so the sum cannot overflow. */
        public long total() {
            return first + second + third + consolation;
        }
    }

    public ExamReport {
        scoreBands = scoreBands == null ? null : List.copyOf(scoreBands);
    }

    @Override
    public ReportType reportType() {
        return ReportType.EXAM;
    }

    @Override
    public ExamReport withSubmittedAt(Instant submittedAt) {
        return new ExamReport(schoolId, schoolYear, exam, candidates, passed, scoreBands, awards, revision, submittedAt);
    }

    @Override
    public String naturalKey() {
        return Report.naturalKeyPrefix(schoolId, ReportType.EXAM, schoolYear) + exam;
    }
}
