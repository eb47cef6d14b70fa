package io.schoolstats.report;

import java.util.List;

/** Either a valid value or the rules it broke (at least one). */
public record Parsed<T>(T value, List<Violation> violations) {
    public Parsed {
        violations = List.copyOf(violations);
    }

    public static <T> Parsed<T> valid(T value) {
        return new Parsed<>(value, List.of());
    }

    public static <T> Parsed<T> invalid(Violation violation) {
        return new Parsed<>(null, List.of(violation));
    }

    public static <T> Parsed<T> invalid(List<Violation> violations) {
        return new Parsed<>(null, violations);
    }

    public boolean isValid() {
        return violations.isEmpty();
    }

    /** The first broken rule: it gives the record its machine-readable reason. */
    public Violation firstViolation() {
        return violations.get(0);
    }
}
