package io.schoolstats.stage;

import io.schoolstats.report.Report;

/** What the school stage reads, keyed by school id. */
public sealed interface SchoolInput permits SchoolInput.ReportArrived, RowChanged {

    /** A valid report of the school. */
    record ReportArrived(Report report) implements SchoolInput {
    }
}
