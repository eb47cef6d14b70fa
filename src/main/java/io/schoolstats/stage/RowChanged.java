package io.schoolstats.stage;

/**
 * A unit's reference row for one school year ({@code schoolYear}, or null for the timeless row)
 * changed; {@code row} is null when it was deleted. Keyed by the unit's code.
 */
public record RowChanged(String schoolYear, UnitRow row) implements SchoolInput, UnitInput {
}
