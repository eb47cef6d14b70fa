package io.schoolstats.query;

import io.schoolstats.reference.Scope;

/**
 * A district, commune, province or cluster as of one school year: its own scope, code, display
 * name and, for a local unit, its province (null otherwise).
 */
public record Unit(Scope scope, String code, String name, String province) {
}
