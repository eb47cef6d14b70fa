package io.schoolstats.stage;

import io.schoolstats.reference.Scope;
import java.util.Map;

/**
 * What a stage keeps of one reference row (a school, a district or commune, a province): its
 * display name, its own scope, the unit it rolls up into (null for a province), and for a school
 * its level as the reference row gives it (null for a unit, or a school row without one).
 */
public record UnitRow(String code, String name, Scope scope, Target parent, String level) {

    /** A row without a level: a district, commune or province. */
    public UnitRow(String code, String name, Scope scope, Target parent) {
        this(code, name, scope, parent, null);
    }

    /** The row in force for a school year: the year's own row, else the timeless row (either may be null). */
    public static UnitRow inForce(UnitRow timeless, Map<String, UnitRow> years, String schoolYear) {
        UnitRow row = schoolYear == null ? null : years.get(schoolYear);
        return row != null ? row : timeless;
    }

    /** The scope a unit of a stage shows under this row, or with no row (null) the stage's default. */
    public static Scope scope(UnitRow row, Stage stage) {
        if (row != null && row.scope() != null) {
            return row.scope();
        }
        return switch (stage) {
            case LOCAL -> Scope.DISTRICT;
            case PROVINCE -> Scope.PROVINCE;
            case CLUSTER -> Scope.CLUSTER;
        };
    }
}
