package io.schoolstats.query;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.schoolstats.reference.Cluster;
import io.schoolstats.reference.Scope;
import io.schoolstats.report.Json;
import io.schoolstats.report.SchoolYear;
import io.schoolstats.stats.Kind;
import io.schoolstats.stats.Period;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** The JSON of {@code GET /api/v1/stats/{scope}/{code}}: every statistic of a unit for a day and a school year. */
public final class UnitView {
    private UnitView() {
    }

    /**
     * @param date       the school day to show attendance for (null: the current school day)
     * @param schoolYear the school year to show (null: the school year of that day)
     */
    public static ObjectNode render(StatsQuery query, Unit unit, LocalDate date, String schoolYear) {
        LocalDate day = date != null ? date : query.currentDay().orElse(null);
        if (date == null && schoolYear != null && day != null && !schoolYear.equals(SchoolYear.of(day))) {
            // Another school year than the current one: its last school day this unit has data for.
            day = query.all(unit.scope(), unit.code(), Kind.ATTENDANCE_DAY).keySet().stream()
                    .filter(p -> schoolYear.equals(p.schoolYear())).map(Period::date)
                    .max(LocalDate::compareTo).orElse(null);
        }
        String year = schoolYear != null ? schoolYear : day == null ? null : SchoolYear.of(day);
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("scope", unit.scope().label());
        root.put("code", unit.code());
        root.put("name", unit.name());
        query.parent(unit.scope(), unit.code()).ifPresent(p -> root.put("province", p));
        if (unit.scope() == Scope.CLUSTER && year != null) {
            Cluster row = query.clusterYears(unit.code()).get(year);
            if (row != null) {
                root.put("memberScope", row.scope().label());
                ArrayNode members = root.putArray("members");
                row.members().forEach(members::add);
                root.put("head", row.head());
            }
        }
        root.put("date", day == null ? null : day.toString());
        root.put("schoolYear", year);

        long[] registered = query.get(unit.scope(), unit.code(),
                unit.scope() == Scope.CLUSTER && year != null ? Period.registered(year) : Period.registered());
        long registeredSchools = registered == null ? 0 : registered[0];
        root.put("registeredSchools", registeredSchools);

        ObjectNode attendance = root.putObject("attendance");
        long[] today = day == null ? null : query.get(unit.scope(), unit.code(), Period.attendanceDay(day));
        long present = today == null ? 0 : today[0];
        long enrolled = today == null ? 0 : today[1];
        long reporting = today == null ? 0 : today[2];
        attendance.put("date", day == null ? null : day.toString());
        attendance.put("present", present);
        attendance.put("enrolled", enrolled);
        putRatio(attendance, "ratio", new Ratio(present, enrolled));
        attendance.put("reportingSchools", reporting);
        attendance.put("registeredSchools", registeredSchools);
        putRatio(attendance, "reportingRatio", new Ratio(reporting, registeredSchools));

        if (year != null) {
            long[] y = query.get(unit.scope(), unit.code(), Period.attendanceYear(year));
            ObjectNode schoolYearNode = root.putObject("attendanceSchoolYear");
            schoolYearNode.put("schoolYear", year);
            schoolYearNode.put("present", y == null ? 0 : y[0]);
            schoolYearNode.put("enrolled", y == null ? 0 : y[1]);
            putRatio(schoolYearNode, "ratio", y == null ? new Ratio(0, 0) : new Ratio(y[0], y[1]));
            schoolYearNode.put("schoolDays", y == null ? 0 : y[2]);
            schoolYearNode.put("reportingSchools", y == null ? 0 : y[3]);
        }

        ArrayNode completion = root.putArray("completion");
        forYear(query.all(unit.scope(), unit.code(), Kind.COMPLETION), year).forEach((p, v) -> {
            ObjectNode n = completion.addObject();
            n.put("schoolYear", p.schoolYear());
            n.put("level", p.level());
            n.put("assessed", v[0]);
            n.put("completed", v[1]);
            putRatio(n, "ratio", new Ratio(v[1], v[0]));
            n.put("conductGood", v[2]);
            n.put("conductAssessed", v[3]);
            putRatio(n, "conductGoodRatio", new Ratio(v[2], v[3]));
        });

        ArrayNode exams = root.putArray("exams");
        forYear(query.all(unit.scope(), unit.code(), Kind.EXAM), year).forEach((p, v) -> {
            ObjectNode n = exams.addObject();
            n.put("schoolYear", p.schoolYear());
            n.put("exam", p.exam());
            n.put("candidates", v[0]);
            n.put("passed", v[1]);
            putRatio(n, "passRatio", new Ratio(v[1], v[0]));
            ObjectNode bands = n.putObject("papers");
            for (int b = 0; b < 10; b++) {
                bands.put(Kind.bandLabel(b), v[Kind.FIRST_BAND + b]);
            }
            ObjectNode awards = n.putObject("awards");
            List<String> names = Kind.AWARDS;
            for (int a = 0; a < names.size(); a++) {
                awards.put(names.get(a), v[Kind.FIRST_AWARD + a]);
            }
        });
        return root;
    }

    private static Map<Period, long[]> forYear(Map<Period, long[]> all, String year) {
        if (year != null) {
            all.keySet().removeIf(p -> !year.equals(p.schoolYear()));
        }
        return all;
    }

    private static void putRatio(ObjectNode node, String field, Ratio ratio) {
        if (ratio.defined()) {
            node.put(field, ratio.value());
        } else {
            node.putNull(field);
        }
    }
}
