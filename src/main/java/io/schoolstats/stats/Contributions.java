package io.schoolstats.stats;

import static io.schoolstats.stats.Measure.*;

import io.schoolstats.report.AttendanceReport;
import io.schoolstats.report.CompletionReport;
import io.schoolstats.report.ExamReport;
import io.schoolstats.report.Report;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** What one report adds to its school's aggregates, period by period. */
public final class Contributions {
    private Contributions() {
    }

    /**
     * What one report adds, per period; its timeliness is judged on its {@code submittedAt}, which
     * the school stage keeps as its natural key's first submission (null: nothing).
     */
    public static Map<Period, long[]> of(Report report, Deadlines deadlines) {
        Map<Period, long[]> out = new LinkedHashMap<>();
        if (report == null) {
            return out;
        }
        long onTime = deadlines.onTime(report) ? 1 : 0;
        if (report instanceof AttendanceReport a) {
            out.put(Period.attendanceDay(a.date()), Kind.ATTENDANCE_DAY.vector(Map.of(
                    PRESENT, a.present(), ENROLLED, a.enrolled(), REPORTING_SCHOOLS, 1L, ON_TIME_SCHOOLS, onTime)));
            out.put(Period.attendanceYear(a.schoolYear()), Kind.ATTENDANCE_YEAR.vector(Map.of(
                    PRESENT, a.present(), ENROLLED, a.enrolled(), SCHOOL_DAYS, 1L, REPORTING_SCHOOLS, 1L,
                    ON_TIME_DAYS, onTime)));
        } else if (report instanceof CompletionReport c) {
            boolean conduct = c.conductGood() != null;
            out.put(Period.completion(c.schoolYear(), c.level().name()), Kind.COMPLETION.vector(Map.of(
                    ASSESSED, c.assessed(), COMPLETED, c.completed(),
                    CONDUCT_GOOD, conduct ? c.conductGood() : 0L, CONDUCT_ASSESSED, conduct ? c.assessed() : 0L,
                    REPORTING_SCHOOLS, 1L, ON_TIME_SCHOOLS, onTime)));
        } else if (report instanceof ExamReport e) {
            Map<Measure, Long> counts = new EnumMap<>(Measure.class);
            counts.put(CANDIDATES, e.candidates());
            counts.put(PASSED, e.passed());
            counts.put(REPORTING_SCHOOLS, 1L);
            counts.put(ON_TIME_SCHOOLS, onTime);
            if (e.scoreBands() != null) {
                for (int i = 0; i < e.scoreBands().size(); i++) {
                    counts.put(BANDS[i], e.scoreBands().get(i));
                }
            }
            if (e.awards() != null) {
                counts.put(AWARD_FIRST, e.awards().first());
                counts.put(AWARD_SECOND, e.awards().second());
                counts.put(AWARD_THIRD, e.awards().third());
                counts.put(AWARD_CONSOLATION, e.awards().consolation());
            }
            out.put(Period.exam(e.schoolYear(), e.exam()), Kind.EXAM.vector(counts));
        }
        return out;
    }

    /** A school's registration: one registered school, in every school year its rows are in force. */
    public static long[] registration() {
        return Kind.REGISTERED.vector(Map.of(REGISTERED_SCHOOLS, 1L));
    }

    /**
     * What replacing one counted report of a school by another (either may be null: a new
     * natural key, or a held exam report) changes in what the school sends to its unit, per
     * period, without reading the school's totals.
     *
     * <p>Every period of a report is the period of its natural key alone, so the school's
     * aggregate of it is that report and the change is {@code after - before}; except the school
     * year's attendance, the sum of the school's days, which {@link #schoolToUnit} counts as one
     * reporting school once it has a day. Attendance is never withdrawn (only exam reports are
     * held), so a school's days of a year only grow: the school becomes a reporting school of the
     * year exactly when its first attendance report of that year arrives, which the caller
     * knows ({@code firstDayOfYear}), and never stops being one.
     *
     * @throws IllegalArgumentException for an attendance report withdrawn ({@code after} null),
     *                                  which would need the school's other days, or a first day
     *                                  that is not a new attendance report
     */
    public static Map<Period, long[]> changeToUnit(Report before, Report after, boolean firstDayOfYear,
                                                   Deadlines deadlines) {
        if (before instanceof AttendanceReport && after == null) {
            throw new IllegalArgumentException("attendance is never withdrawn: " + before.naturalKey());
        }
        if (firstDayOfYear && !(before == null && after instanceof AttendanceReport)) {
            throw new IllegalArgumentException("only a new attendance report can be a school's first day of a year");
        }
        Map<Period, long[]> change = of(after, deadlines);
        of(before, deadlines).forEach((period, removed) -> change.merge(period, Counts.negate(removed), Counts::plus));
        long[] year = after instanceof AttendanceReport a ? change.get(Period.attendanceYear(a.schoolYear())) : null;
        if (year != null) {
            year[Kind.ATTENDANCE_YEAR.indexOf(REPORTING_SCHOOLS)] = firstDayOfYear ? 1 : 0;
        }
        return change;
    }

    /**
     * What a school's own aggregate adds to its unit. The same vector, except that over a
     * school year a school counts as one reporting school however many days it reported.
     */
    public static long[] schoolToUnit(Period period, long[] schoolTotal) {
        if (schoolTotal == null || period.kind() != Kind.ATTENDANCE_YEAR) {
            return schoolTotal;
        }
        long[] v = schoolTotal.clone();
        int days = Kind.ATTENDANCE_YEAR.indexOf(SCHOOL_DAYS);
        v[Kind.ATTENDANCE_YEAR.indexOf(REPORTING_SCHOOLS)] = v[days] > 0 ? 1 : 0;
        return v;
    }
}
