package io.schoolstats.stats;

import io.schoolstats.report.AttendanceReport;
import io.schoolstats.report.CompletionReport;
import io.schoolstats.report.ExamReport;
import io.schoolstats.report.Report;
import io.schoolstats.report.SchoolYear;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.TreeMap;

/**
 * When a report is on time (issue 13; DHIS2's "reporting rate on time"): attendance by a time of
 * its own day, completion and exam results by a date of their school year, in the deployment's
 * time zone. A report's submission is its {@code submittedAt}, else its Kafka timestamp; the
 * school stage judges a natural key by its first submission ({@link Measure#ON_TIME_SCHOOLS}).
 *
 * <p>The deadlines are fixed for the life of an application id, like its partitions: a stored
 * report is judged again whenever its school's figures are re-sent (a correction, a move), so
 * every instance must run with the same deadlines, and changing them means rebuilding the state
 * (README, Upgrading) so that every report is judged by the new ones.
 *
 * @param attendance  the time of a school day by which its attendance is due
 * @param completion  when completion of a school year is due (by the end of that day)
 * @param exam        when exam results of a school year are due (by the end of that day)
 */
public record Deadlines(ZoneId zone, LocalTime attendance, YearDates completion, YearDates exam) {
    public static final LocalTime DEFAULT_ATTENDANCE = LocalTime.of(9, 0);
    /** Schools finish assessing the year's program by 31 May (MOET's school-year calendar); two weeks to report. */
    public static final String DEFAULT_COMPLETION = "06-15";
    /** The national graduation and grade-10 entrance exams are marked by mid-July. */
    public static final String DEFAULT_EXAM = "07-31";

    /** The defaults, in a time zone. */
    public static Deadlines defaults(ZoneId zone) {
        return new Deadlines(zone, DEFAULT_ATTENDANCE, YearDates.parse(DEFAULT_COMPLETION),
                YearDates.parse(DEFAULT_EXAM));
    }

    /** True when the report's submission (as the stage keeps it) was by its deadline; unknown is late. */
    public boolean onTime(Report report) {
        Instant submitted = report.submittedAt();
        if (submitted == null) {
            return false;
        }
        if (report instanceof AttendanceReport a) {
            return !submitted.isAfter(a.date().atTime(attendance).atZone(zone).toInstant());
        }
        YearDates dates = report instanceof CompletionReport ? completion : exam;
        String year = report instanceof CompletionReport c ? c.schoolYear() : ((ExamReport) report).schoolYear();
        return submitted.isBefore(dates.of(year).plusDays(1).atStartOfDay(zone).toInstant());
    }

    /**
     * A date per school year: one day of the year (month and day, in the school year's second
     * calendar year: {@code 06-15} is 15 June 2026 for 2025-2026), with dates for some years
     * instead. Written {@code 06-15} or {@code 06-15,2025-2026=2026-06-20,...}.
     */
    public record YearDates(MonthDay every, Map<String, LocalDate> byYear) {
        public YearDates {
            byYear = Map.copyOf(byYear);
        }

        public LocalDate of(String schoolYear) {
            LocalDate date = byYear.get(schoolYear);
            return date != null ? date : every.atYear(SchoolYear.start(schoolYear) + 1);
        }

        /** @throws IllegalArgumentException saying what is wrong and what is expected */
        public static YearDates parse(String text) {
            String[] parts = text.strip().split("\\s*,\\s*");
            MonthDay every;
            try {
                every = MonthDay.parse("--" + parts[0]);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + parts[0] + "' is not a month and day such as 06-15"
                        + " (then, optionally, ,2025-2026=2026-06-20 for a school year of its own)");
            }
            Map<String, LocalDate> byYear = new TreeMap<>();
            for (int i = 1; i < parts.length; i++) {
                String[] kv = parts[i].split("=", 2);
                if (kv.length != 2 || !SchoolYear.isValid(kv[0].strip())) {
                    throw new IllegalArgumentException("'" + parts[i] + "' is not SCHOOL_YEAR=DATE such as 2025-2026=2026-06-20");
                }
                try {
                    byYear.put(kv[0].strip(), LocalDate.parse(kv[1].strip()));
                } catch (DateTimeException e) {
                    throw new IllegalArgumentException("'" + kv[1].strip() + "' is not a date such as 2026-06-20");
                }
            }
            return new YearDates(every, byYear);
        }

        @Override
        public String toString() {
            StringBuilder out = new StringBuilder(every.toString().substring(2));
            byYear.forEach((year, date) -> out.append(',').append(year).append('=').append(date));
            return out.toString();
        }
    }
}
