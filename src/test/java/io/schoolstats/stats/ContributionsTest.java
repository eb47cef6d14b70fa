package io.schoolstats.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.schoolstats.report.AttendanceReport;
import io.schoolstats.report.ExamReport;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What one report changes in what its school sends to its unit, without the school's totals. */
class ContributionsTest {
    private static final LocalDate DAY = LocalDate.of(2024, 3, 5);
    private static final Period YEAR = Period.attendanceYear("2023-2024");
    private static final Deadlines DEADLINES = Deadlines.defaults(ZoneId.of("Asia/Ho_Chi_Minh"));

    private static AttendanceReport day(long enrolled, long present, long revision) {
        return new AttendanceReport("S1", DAY, enrolled, present, revision, null);
    }

    @Test
    void aFirstDayMakesTheSchoolAReportingSchoolOfItsYear() {
        Map<Period, long[]> change = Contributions.changeToUnit(null, day(100, 90, 1), true, DEADLINES);
        assertThat(change.get(YEAR)).containsExactly(90, 100, 1, 1, 0);
        assertThat(change.get(Period.attendanceDay(DAY))).containsExactly(90, 100, 1, 0);
    }

    @Test
    void anotherDayIsADayOnly() {
        assertThat(Contributions.changeToUnit(null, day(100, 90, 1), false, DEADLINES).get(YEAR)).containsExactly(90, 100, 1, 0, 0);
    }

    @Test
    void aCorrectionChangesTheCountsOnly() {
        Map<Period, long[]> change = Contributions.changeToUnit(day(100, 90, 1), day(110, 95, 2), false, DEADLINES);
        assertThat(change.get(YEAR)).containsExactly(5, 10, 0, 0, 0);
        assertThat(change.get(Period.attendanceDay(DAY))).containsExactly(5, 10, 0, 0);
    }

    @Test
    void attendanceIsNeverWithdrawnAndOnlyANewDayIsAFirstDay() {
        assertThatThrownBy(() -> Contributions.changeToUnit(day(100, 90, 1), null, false, DEADLINES))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("never withdrawn");
        assertThatThrownBy(() -> Contributions.changeToUnit(day(100, 90, 1), day(100, 91, 2), true, DEADLINES))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("first day");
    }

    @Test
    void aHeldExamReportIsWithdrawnWhole() {
        ExamReport exam = new ExamReport("S1", "2023-2024", "OLYMPIAD_30_4", 10, 4, null, null, 1, null);
        Map<Period, long[]> change = Contributions.changeToUnit(exam, null, false, DEADLINES);
        assertThat(change).containsOnlyKeys(Period.exam("2023-2024", "OLYMPIAD_30_4"));
        assertThat(change.get(Period.exam("2023-2024", "OLYMPIAD_30_4"))[1]).isEqualTo(-4);
    }

    @Test
    void aReportOnTimeCountsAnOnTimeSchoolOfItsDayAndAnOnTimeDayOfItsYear() {
        AttendanceReport early = day(100, 90, 1).withSubmittedAt(Instant.parse("2024-03-05T01:59:00Z"));
        Map<Period, long[]> change = Contributions.changeToUnit(null, early, true, DEADLINES);
        assertThat(change.get(Period.attendanceDay(DAY))).containsExactly(90, 100, 1, 1);
        assertThat(change.get(YEAR)).containsExactly(90, 100, 1, 1, 1);
    }

    @Test
    void aFirstSubmissionMovedBackBeforeTheDeadlineMakesTheSameReportOnTime() {
        AttendanceReport late = day(100, 90, 2).withSubmittedAt(Instant.parse("2024-03-05T03:00:00Z"));
        AttendanceReport firstOnTime = late.withSubmittedAt(Instant.parse("2024-03-05T01:00:00Z"));
        Map<Period, long[]> change = Contributions.changeToUnit(late, firstOnTime, false, DEADLINES);
        assertThat(change.get(Period.attendanceDay(DAY))).containsExactly(0, 0, 0, 1);
        assertThat(change.get(YEAR)).containsExactly(0, 0, 0, 0, 1);
    }
}
