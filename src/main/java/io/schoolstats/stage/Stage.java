package io.schoolstats.stage;

import io.schoolstats.reference.Scope;
import java.util.Locale;

/**
 * The unit stages of the engine (after the school stage), each partitioned by the code of the
 * units it sums. Districts and communes share one stage ({@code LOCAL}): both are rows of
 * {@code reference.districts} with one code space, and a school belongs to one of them in a
 * given school year.
 */
public enum Stage {
    LOCAL, PROVINCE, CLUSTER;

    /** Lower case, as in store and internal topic names. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The stage that sums units of a scope. */
    public static Stage of(Scope scope) {
        return switch (scope) {
            case DISTRICT, COMMUNE -> LOCAL;
            case PROVINCE -> PROVINCE;
            case CLUSTER -> CLUSTER;
        };
    }
}
