package io.schoolstats.query;

import static io.schoolstats.stats.Measure.*;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.schoolstats.reference.Cluster;
import io.schoolstats.reference.Scope;
import io.schoolstats.report.Json;
import io.schoolstats.report.SchoolYear;
import io.schoolstats.stage.Stage;
import io.schoolstats.stats.Aggregate;
import io.schoolstats.stats.Kind;
import io.schoolstats.stats.Measure;
import io.schoolstats.stats.Period;
import io.schoolstats.stats.Ratio;
import java.time.LocalDate;

/** The JSON of {@code GET /api/v1/stats/{scope}/{code}}: every statistic of a unit for a day and a school year. */
public final class UnitView {
    private UnitView() {
    }

    /** A unit the API can show: its stage, code, and how to name it for a school year. */
    public interface Shown {
        Stage stage();

        String code();

        /** The unit as of a school year (its row in force; null when none is), or with no year as latest known. */
        Unit asOf(String schoolYear);

        /** The school years it has rows for, in words, for an error message. */
        String years();
    }

    /** The unit has no row in force for the school year asked about. */
    public static final class NotInForce extends RuntimeException {
        NotInForce(String message) {
            super(message);
        }
    }

    /**
     * @param date       the school day to show attendance for (null: the current school day)
     * @param schoolYear the school year to show (null: the school year of that day)
     * @throws NotInForce when the unit has no row in force for that school year
     */
    public static ObjectNode render(StatsQuery query, Shown shown, LocalDate date, String schoolYear) {
        Stage stage = shown.stage();
        String code = shown.code();
        LocalDate day = date != null ? date : query.currentDay().orElse(null);
        if (date == null && schoolYear != null && day != null && !schoolYear.equals(SchoolYear.of(day))) {
            // Another school year than the current one: its last school day this unit has data for.
            day = query.all(stage, code, Kind.ATTENDANCE_DAY, schoolYear).keySet().stream()
                    .map(Period::date).max(LocalDate::compareTo).orElse(null);
        }
        String year = schoolYear != null ? schoolYear : day == null ? null : SchoolYear.of(day);
        Unit unit = shown.asOf(year);
        if (unit == null) {
            throw new NotInForce(code + " has no row in force for " + year + "; it has rows for " + shown.years()
                    + " (?schoolYear= shows another year)");
        }
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("scope", unit.scope().label());
        root.put("code", unit.code());
        root.put("name", unit.name());
        if (unit.province() != null) {
            root.put("province", unit.province());
        }
        if (unit.scope() == Scope.CLUSTER && year != null) {
            Cluster row = query.clusterYears(code).get(year);
            if (row != null) {
                root.put("memberScope", row.scope().label());
                ArrayNode members = root.putArray("members");
                row.members().forEach(members::add);
                root.put("head", row.head());
            }
        }
        root.put("date", day == null ? null : day.toString());
        root.put("schoolYear", year);

        long registeredSchools = year == null ? 0 : query.registeredSchools(stage, code, year);
        root.put("registeredSchools", registeredSchools);

        ObjectNode attendance = root.putObject("attendance");
        Aggregate today = day == null ? null : query.get(stage, code, Period.attendanceDay(day));
        long present = Aggregate.get(today, PRESENT);
        long enrolled = Aggregate.get(today, ENROLLED);
        long reporting = Aggregate.get(today, REPORTING_SCHOOLS);
        attendance.put("date", day == null ? null : day.toString());
        attendance.put("present", present);
        attendance.put("enrolled", enrolled);
        putRatio(attendance, "ratio", new Ratio(present, enrolled));
        attendance.put("reportingSchools", reporting);
        attendance.put("registeredSchools", registeredSchools);
        putRatio(attendance, "reportingRatio", new Ratio(reporting, registeredSchools));
        long onTime = Aggregate.get(today, ON_TIME_SCHOOLS);
        attendance.put("onTimeSchools", onTime);
        putRatio(attendance, "onTimeRatio", new Ratio(onTime, registeredSchools));

        if (year != null) {
            Aggregate y = query.get(stage, code, Period.attendanceYear(year));
            ObjectNode schoolYearNode = root.putObject("attendanceSchoolYear");
            schoolYearNode.put("schoolYear", year);
            schoolYearNode.put("present", Aggregate.get(y, PRESENT));
            schoolYearNode.put("enrolled", Aggregate.get(y, ENROLLED));
            putRatio(schoolYearNode, "ratio", new Ratio(Aggregate.get(y, PRESENT), Aggregate.get(y, ENROLLED)));
            schoolYearNode.put("schoolDays", Aggregate.get(y, SCHOOL_DAYS));
            schoolYearNode.put("reportingSchools", Aggregate.get(y, REPORTING_SCHOOLS));
            schoolYearNode.put("onTimeDays", Aggregate.get(y, ON_TIME_DAYS));
            putRatio(schoolYearNode, "onTimeDaysRatio", ratioOf(y, ON_TIME_DAYS, SCHOOL_DAYS));
        }

        ArrayNode completion = root.putArray("completion");
        ArrayNode exams = root.putArray("exams");
        query.all(stage, code, Kind.COMPLETION, year).forEach((p, v) -> {
            ObjectNode n = completion.addObject();
            n.put("schoolYear", p.schoolYear());
            n.put("level", p.level());
            n.put("assessed", v.get(ASSESSED));
            n.put("completed", v.get(COMPLETED));
            putRatio(n, "ratio", v.ratio(COMPLETED, ASSESSED));
            n.put("conductGood", v.get(CONDUCT_GOOD));
            n.put("conductAssessed", v.get(CONDUCT_ASSESSED));
            putRatio(n, "conductGoodRatio", v.ratio(CONDUCT_GOOD, CONDUCT_ASSESSED));
            timeliness(n, v, registeredSchools);
        });
        query.all(stage, code, Kind.EXAM, year).forEach((p, v) -> {
            ObjectNode n = exams.addObject();
            n.put("schoolYear", p.schoolYear());
            n.put("exam", p.exam());
            n.put("candidates", v.get(CANDIDATES));
            n.put("passed", v.get(PASSED));
            putRatio(n, "passRatio", v.ratio(PASSED, CANDIDATES));
            timeliness(n, v, registeredSchools);
            ObjectNode bands = n.putObject("papers");
            for (Measure band : Measure.BANDS) {
                bands.put(band.label(), v.get(band));
            }
            ObjectNode awards = n.putObject("awards");
            for (Measure award : Measure.AWARDS) {
                awards.put(award.label(), v.get(award));
            }
        });
        return root;
    }

    /** Schools that reported and those on time, and their shares of the registered schools (reporting completeness beside timeliness). */
    private static void timeliness(ObjectNode n, Aggregate v, long registeredSchools) {
        n.put("reportingSchools", v.get(REPORTING_SCHOOLS));
        putRatio(n, "reportingRatio", new Ratio(v.get(REPORTING_SCHOOLS), registeredSchools));
        n.put("onTimeSchools", v.get(ON_TIME_SCHOOLS));
        putRatio(n, "onTimeRatio", new Ratio(v.get(ON_TIME_SCHOOLS), registeredSchools));
    }

    private static Ratio ratioOf(Aggregate a, Measure numerator, Measure denominator) {
        return new Ratio(Aggregate.get(a, numerator), Aggregate.get(a, denominator));
    }

    private static void putRatio(ObjectNode node, String field, Ratio ratio) {
        if (ratio.defined()) {
            node.put(field, ratio.value());
        } else {
            node.putNull(field);
        }
    }
}
