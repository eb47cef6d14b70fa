package io.schoolstats.reference;

import java.util.Locale;
import java.util.Optional;

/** The levels statistics are aggregated at. */
public enum Scope {
    DISTRICT, PROVINCE, CLUSTER;

    /** Lower case, as in metric labels, URLs and topic names. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Scope> fromLabel(String label) {
        for (Scope scope : values()) {
            if (scope.label().equals(label)) {
                return Optional.of(scope);
            }
        }
        return Optional.empty();
    }
}
