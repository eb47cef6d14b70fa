package io.schoolstats.ingest;

import io.schoolstats.report.Violation;
import java.util.ArrayList;
import java.util.List;

/**
 * A body's items after validation: the records to write and the items refused, with why. The
 * refusals listed may be the first ones only ({@link Builder}); {@code rejectedTotal} counts them all.
 */
public record Checked(List<Accepted> accepted, List<Rejection> rejected, int rejectedTotal) {
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

    /** Every refusal listed. */
    public Checked(List<Accepted> accepted, List<Rejection> rejected) {
        this(accepted, rejected, rejected.size());
    }

    public boolean allValid() {
        return rejectedTotal == 0;
    }

    /** Collects the outcome of items one at a time, listing at most {@code listed} refusals. */
    public static final class Builder {
        private final int listed;
        private final List<Accepted> accepted = new ArrayList<>();
        private final List<Rejection> rejected = new ArrayList<>();
        private int total;

        public Builder(int listed) {
            this.listed = listed;
        }

        public void accept(Accepted item) {
            accepted.add(item);
        }

        public void reject(int index, List<Violation> violations) {
            for (Violation v : violations) {
                if (rejected.size() < listed) {
                    rejected.add(new Rejection(index, v));
                }
                total++;
            }
        }

        public Checked build() {
            return new Checked(accepted, rejected, total);
        }
    }
}
