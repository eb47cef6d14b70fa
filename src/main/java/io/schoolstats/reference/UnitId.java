package io.schoolstats.reference;

import io.schoolstats.report.Fields;
import io.schoolstats.report.Quote;
import java.util.Objects;

/**
 * Which unit: a scope and a code, written {@code SCOPE:CODE} ({@code district:001},
 * {@code cluster:HN-C1}) as a unit's token names it. Two scopes may use the same code (a district
 * and a province both {@code 01}), so the code alone never identifies a unit. The code is held in
 * NFC, as reference data keys are, so that equality means the same unit however it was typed.
 */
public record UnitId(Scope scope, String code) {
    public UnitId {
        Objects.requireNonNull(scope, "scope");
        String given = code;
        code = given == null ? null : Fields.normalize(given);
        if (!Fields.isId(code)) {
            throw new IllegalArgumentException("'" + Quote.of(given) + "' is not a unit code: "
                    + "1 to 64 characters without '|', control, format or bidirectional characters");
        }
    }

    /**
     * Reads {@code SCOPE:CODE}. Only the first ':' separates: a code may hold one.
     *
     * @throws IllegalArgumentException saying what is wrong and what is expected
     */
    public static UnitId parse(String text) {
        int colon = text == null ? -1 : text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("write the unit as SCOPE:CODE (e.g. district:001 or cluster:HN-C1), not '"
                    + Quote.of(text) + "'");
        }
        String label = text.substring(0, colon);
        Scope scope = Scope.fromLabel(label).orElseThrow(() -> new IllegalArgumentException("'" + Quote.of(label)
                + "' is not a scope: district, commune, province or cluster (e.g. district:001)"));
        return new UnitId(scope, text.substring(colon + 1));
    }

    /** {@code SCOPE:CODE}, as {@link #parse} reads it. */
    @Override
    public String toString() {
        return scope.label() + ":" + code;
    }
}
