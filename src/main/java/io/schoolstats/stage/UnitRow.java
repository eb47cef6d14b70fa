package io.schoolstats.stage;

import io.schoolstats.reference.Scope;

/**
 * What a stage keeps of one reference row (a school, a district or commune, a province): its
 * display name, its own scope, and the unit it rolls up into (null for a province).
 */
public record UnitRow(String code, String name, Scope scope, Target parent) {
}
