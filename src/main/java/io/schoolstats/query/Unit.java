package io.schoolstats.query;

import io.schoolstats.reference.Scope;

/** A district, province or cluster known to this instance, with its display name. */
public record Unit(Scope scope, String code, String name) {
}
