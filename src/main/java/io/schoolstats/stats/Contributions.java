package io.schoolstats.stats;

import io.schoolstats.report.AttendanceReport;
import io.schoolstats.report.CompletionReport;
import io.schoolstats.report.ExamReport;
import io.schoolstats.report.Report;
import java.util.LinkedHashMap;
import java.util.Map;

/** What one report adds to its school's aggregates, period by period. */
public final class Contributions {
    private Contributions() {
    }

    public static Map<Period, long[]> of(Report report) {
        Map<Period, long[]> out = new LinkedHashMap<>();
        if (report == null) {
            return out;
        }
        if (report instanceof AttendanceReport a) {
            out.put(Period.attendanceDay(a.date()), new long[] {a.present(), a.enrolled(), 1});
            out.put(Period.attendanceYear(a.schoolYear()), new long[] {a.present(), a.enrolled(), 1, 1});
        } else if (report instanceof CompletionReport c) {
            boolean conduct = c.conductGood() != null;
            out.put(Period.completion(c.schoolYear(), c.level().name()), new long[] {
                c.assessed(), c.completed(), conduct ? c.conductGood() : 0, conduct ? c.assessed() : 0});
        } else if (report instanceof ExamReport e) {
            long[] v = new long[Kind.EXAM.size()];
            v[0] = e.candidates();
            v[1] = e.passed();
            if (e.scoreBands() != null) {
                for (int i = 0; i < e.scoreBands().size(); i++) {
                    v[Kind.FIRST_BAND + i] = e.scoreBands().get(i);
                }
            }
            if (e.awards() != null) {
                v[Kind.FIRST_AWARD] = e.awards().first();
                v[Kind.FIRST_AWARD + 1] = e.awards().second();
                v[Kind.FIRST_AWARD + 2] = e.awards().third();
                v[Kind.FIRST_AWARD + 3] = e.awards().consolation();
            }
            out.put(Period.exam(e.schoolYear(), e.exam()), v);
        }
        return out;
    }

    /** A school's registration: one registered school. */
    public static long[] registration() {
        return new long[] {1};
    }

    /**
     * What a school's own aggregate adds to its district. The same vector, except that over a
     * school year a school counts as one reporting school however many days it reported.
     */
    public static long[] schoolToUnit(Period period, long[] schoolTotal) {
        if (schoolTotal == null || period.kind() != Kind.ATTENDANCE_YEAR) {
            return schoolTotal;
        }
        long[] v = schoolTotal.clone();
        v[3] = v[2] > 0 ? 1 : 0;
        return v;
    }
}
