package io.schoolstats.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.schoolstats.report.AttendanceReport;
import io.schoolstats.report.CompletionReport;
import io.schoolstats.report.ExamReport;
import io.schoolstats.report.Level;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** When a report is on time: its day's deadline in the deployment's time zone, or its school year's date. */
class DeadlinesTest {
    private static final ZoneId HANOI = ZoneId.of("Asia/Ho_Chi_Minh");
    private static final Deadlines DEFAULTS = Deadlines.defaults(HANOI);

    private static AttendanceReport attendance(String submitted) {
        return new AttendanceReport("S1", LocalDate.of(2025, 10, 6), 100, 90, 1,
                submitted == null ? null : Instant.parse(submitted));
    }

    private static CompletionReport completion(String year, String submitted) {
        return new CompletionReport("S1", year, Level.PRIMARY, 10, 9, null, 1, Instant.parse(submitted));
    }

    @Test
    void attendanceIsOnTimeUntilNineOClockOfItsDayInTheDeploymentsZone() {
        assertThat(DEFAULTS.onTime(attendance("2025-10-06T02:00:00Z"))).as("09:00 +07:00 exactly").isTrue();
        assertThat(DEFAULTS.onTime(attendance("2025-10-06T02:00:01Z"))).as("one second later").isFalse();
        assertThat(DEFAULTS.onTime(attendance("2025-10-05T12:00:00Z"))).as("the evening before").isTrue();
        assertThat(DEFAULTS.onTime(attendance(null))).as("no submission known").isFalse();
        Deadlines utcEight = new Deadlines(ZoneId.of("UTC"), LocalTime.of(8, 0), DEFAULTS.completion(), DEFAULTS.exam());
        assertThat(utcEight.onTime(attendance("2025-10-06T07:59:00Z"))).isTrue();
        assertThat(utcEight.onTime(attendance("2025-10-06T08:01:00Z"))).isFalse();
    }

    @Test
    void completionIsDueByTheEndOfItsSchoolYearsDateUnlessTheYearHasItsOwn() {
        assertThat(DEFAULTS.onTime(completion("2024-2025", "2025-06-15T16:59:59Z"))).as("23:59:59 on 15 June").isTrue();
        assertThat(DEFAULTS.onTime(completion("2024-2025", "2025-06-15T17:00:00Z"))).as("16 June").isFalse();
        Deadlines ownYear = new Deadlines(HANOI, Deadlines.DEFAULT_ATTENDANCE,
                Deadlines.YearDates.parse("06-15, 2024-2025=2025-06-20"), DEFAULTS.exam());
        assertThat(ownYear.onTime(completion("2024-2025", "2025-06-18T03:00:00Z"))).isTrue();
        assertThat(ownYear.onTime(completion("2025-2026", "2026-06-18T03:00:00Z"))).isFalse();
    }

    @Test
    void examResultsAreDueByTheEndOfJulyByDefault() {
        ExamReport exam = new ExamReport("S1", "2024-2025", "THPT_GRADUATION", 10, 9, null, null, 1,
                Instant.parse("2025-07-31T10:00:00Z"));
        assertThat(DEFAULTS.onTime(exam)).isTrue();
        assertThat(DEFAULTS.onTime(exam.withSubmittedAt(Instant.parse("2025-08-01T10:00:00Z")))).isFalse();
    }

    @Test
    void aDateSpecificationThatCannotBeReadSaysWhatIsExpected() {
        assertThatThrownBy(() -> Deadlines.YearDates.parse("15-06")).hasMessageContaining("06-15");
        assertThatThrownBy(() -> Deadlines.YearDates.parse("06-15,2025=2026-06-20")).hasMessageContaining("SCHOOL_YEAR=DATE");
        assertThatThrownBy(() -> Deadlines.YearDates.parse("06-15,2025-2026=20-06-2026")).hasMessageContaining("2026-06-20");
        assertThat(Deadlines.YearDates.parse("06-15,2025-2026=2026-06-20")).hasToString("06-15,2025-2026=2026-06-20");
    }
}
