package io.schoolstats.reference;

import java.util.Locale;
import java.util.Optional;

/**
 * The levels statistics are aggregated at, as named in metric labels and URLs. Districts and
 * communes are both "local units" (a row of {@code reference.districts}; its {@code scope}
 * says which): until June 2025 schools belonged to districts, since July 2025 to communes.
 */
public enum Scope {
    DISTRICT, COMMUNE, PROVINCE, CLUSTER;

    /** Lower case, as in metric labels, URLs and topic names. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A district or a commune: the unit a school belongs to below its province. */
    public boolean local() {
        return this == DISTRICT || this == COMMUNE;
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
