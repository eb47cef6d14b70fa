package io.schoolstats.ingest;

import io.schoolstats.report.Violation;
import java.util.List;

/** A body's items after validation: the records to write and the items refused, with why. */
public record Checked(List<Accepted> accepted, List<Rejection> rejected) {
    /** A valid item, ready to write: its topic, key and JSON. */
    public record Accepted(int index, String topic, String key, String json, String schoolId) {
    }

    /** An invalid item and one broken rule (an item may have several). */
    public record Rejection(int index, Violation violation) {
    }

    public Checked {
        accepted = List.copyOf(accepted);
        rejected = List.copyOf(rejected);
    }

    public boolean allValid() {
        return rejected.isEmpty();
    }
}
