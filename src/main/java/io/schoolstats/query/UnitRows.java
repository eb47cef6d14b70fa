package io.schoolstats.query;

import io.schoolstats.reference.Scope;
import io.schoolstats.stage.Stage;
import io.schoolstats.stage.UnitRow;
import java.util.Map;
import java.util.TreeMap;

/** A district's, commune's or province's reference rows: the timeless one and those of school years. */
public record UnitRows(Stage stage, String code, UnitRow timeless, TreeMap<String, UnitRow> years) {

    /** The row in force for a school year (its own, else the timeless one), or null. */
    public UnitRow row(String schoolYear) {
        return UnitRow.inForce(timeless, years, schoolYear);
    }

    /** The row to show when no school year is asked for: the latest school year's, else the timeless one. */
    public UnitRow latest() {
        Map.Entry<String, UnitRow> last = years.lastEntry();
        return last != null ? last.getValue() : timeless;
    }

    /** The unit as of a school year, or null when no row is in force for it. */
    public Unit unit(String schoolYear) {
        return unit(row(schoolYear));
    }

    public Unit unit(UnitRow row) {
        if (row == null) {
            return null;
        }
        Scope scope = UnitRow.scope(row, stage);
        String province = row.parent() != null && row.parent().stage() == Stage.PROVINCE ? row.parent().code() : null;
        return new Unit(scope, code, row.name(), province);
    }
}
