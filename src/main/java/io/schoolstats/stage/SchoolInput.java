package io.schoolstats.stage;

import io.schoolstats.report.Report;

/** What the school stage reads, keyed by school id. */
public sealed interface SchoolInput permits SchoolInput.ReportArrived, RowChanged, SchoolInput.ExamChanged {

    /** A valid report of the school. */
    record ReportArrived(Report report) implements SchoolInput {
    }

    /**
     * An exam code entered (defined) or left the catalogue. Sent to every partition of the school
     * stage (the key is the code), since any school may hold reports of it.
     */
    record ExamChanged(String code, boolean defined) implements SchoolInput {
    }
}
