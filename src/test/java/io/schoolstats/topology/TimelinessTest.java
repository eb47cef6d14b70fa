package io.schoolstats.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.schoolstats.reference.Scope;
import io.schoolstats.report.ReportType;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Schools on time (issue 13): a natural key is on time when its first submission was by the
 * deadline (09:00 of the day in Vietnam for attendance; 15 June, 31 July of the school year's
 * second calendar year for completion, exams), whatever revision wins and in any order. The
 * last count of an attendance day is its on-time schools; of a year, its on-time days.
 */
class TimelinessTest {
    private static final String DAY = "attendance_day:2024-03-05";
    private static final String YEAR = "attendance_year:2023-2024";

    private static void attendance(Harness h, String school, long present, long revision, String submittedAt) {
        h.report(ReportType.ATTENDANCE, school, String.format("{\"schoolId\":\"%s\",\"date\":\"2024-03-05\","
                + "\"enrolled\":100,\"present\":%d,\"revision\":%d%s}", school, present, revision,
                submittedAt == null ? "" : ",\"submittedAt\":\"" + submittedAt + "\""));
    }

    private static Harness threeSchools() {
        Harness h = new Harness();
        h.province("01");
        h.district("001", "01");
        for (String s : new String[] {"S1", "S2", "S3"}) {
            h.school(s, "001");
        }
        return h;
    }

    @Test
    void aCorrectionKeepsTheFirstSubmissionsTimelinessUnlessTheFirstWasLate() {
        try (Harness h = threeSchools()) {
            attendance(h, "S1", 90, 1, "2024-03-05T08:30:00+07:00");
            attendance(h, "S2", 80, 1, "2024-03-05T09:30:00+07:00");
            assertThat(h.stats(Scope.DISTRICT, "001", DAY)).containsExactly(170, 200, 2, 1);
            // S1 corrects at noon: still on time. S2 corrects its late report: still late.
            attendance(h, "S1", 91, 2, "2024-03-05T12:00:00+07:00");
            attendance(h, "S2", 81, 2, "2024-03-05T12:00:00+07:00");
            assertThat(h.stats(Scope.DISTRICT, "001", DAY)).containsExactly(172, 200, 2, 1);
            assertThat(h.stats(Scope.DISTRICT, "001", YEAR)).containsExactly(172, 200, 2, 2, 1);
            assertThat(h.stats(Scope.PROVINCE, "01", DAY)).containsExactly(172, 200, 2, 1);
        }
    }

    @Test
    void aFirstRevisionReadAfterItsCorrectionStillMakesTheKeyOnTime() {
        try (Harness h = threeSchools()) {
            attendance(h, "S3", 95, 2, "2024-03-05T10:00:00+07:00");
            assertThat(h.stats(Scope.DISTRICT, "001", DAY)).containsExactly(95, 100, 1, 0);
            // Revision 1 loses (stale) but was submitted first, by the deadline: the figures stay
            // revision 2's, the school becomes on time.
            attendance(h, "S3", 50, 1, "2024-03-05T07:00:00+07:00");
            assertThat(h.stats(Scope.DISTRICT, "001", DAY)).containsExactly(95, 100, 1, 1);
            assertThat(h.outcomes.get(ReportType.ATTENDANCE, ReportOutcomes.Outcome.STALE)).isEqualTo(1);
            // A later duplicate changes nothing.
            attendance(h, "S3", 95, 2, "2024-03-05T06:00:00+07:00");
            assertThat(h.stats(Scope.DISTRICT, "001", DAY)).containsExactly(95, 100, 1, 1);
        }
    }

    @Test
    void withoutSubmittedAtTheKafkaTimestampIsTheSubmission() {
        try (Harness h = threeSchools()) {
            h.receivedAt = Instant.parse("2024-03-05T01:00:00Z"); // 08:00 in Vietnam
            attendance(h, "S1", 90, 1, null);
            h.receivedAt = Instant.parse("2024-03-05T03:00:00Z"); // 10:00
            attendance(h, "S2", 90, 1, null);
            assertThat(h.stats(Scope.DISTRICT, "001", DAY)).containsExactly(180, 200, 2, 1);
        }
    }

    @Test
    void aSchoolMovingTakesItsTimelinessWithIt() {
        try (Harness h = threeSchools()) {
            h.district("002", "01");
            attendance(h, "S1", 90, 1, "2024-03-05T08:00:00+07:00");
            attendance(h, "S2", 90, 1, "2024-03-05T11:00:00+07:00");
            h.school("S1", "002");
            assertThat(h.stats(Scope.DISTRICT, "001", DAY)).containsExactly(90, 100, 1, 0);
            assertThat(h.stats(Scope.DISTRICT, "002", DAY)).containsExactly(90, 100, 1, 1);
            assertThat(h.stats(Scope.DISTRICT, "002", YEAR)).containsExactly(90, 100, 1, 1, 1);
            assertThat(h.stats(Scope.PROVINCE, "01", DAY)).containsExactly(180, 200, 2, 1);
        }
    }

    @Test
    void completionAndExamsCountTheirReportingAndOnTimeSchools() {
        try (Harness h = threeSchools()) {
            h.report(ReportType.COMPLETION, "{\"schoolId\":\"S1\",\"schoolYear\":\"2023-2024\",\"level\":\"PRIMARY\","
                    + "\"assessed\":10,\"completed\":9,\"revision\":1,\"submittedAt\":\"2024-06-15T23:00:00+07:00\"}");
            h.report(ReportType.COMPLETION, "{\"schoolId\":\"S2\",\"schoolYear\":\"2023-2024\",\"level\":\"PRIMARY\","
                    + "\"assessed\":10,\"completed\":8,\"revision\":1,\"submittedAt\":\"2024-06-16T07:00:00+07:00\"}");
            assertThat(h.stats(Scope.DISTRICT, "001", "completion:2023-2024:PRIMARY")).containsExactly(20, 17, 0, 0, 2, 1);
            h.report(ReportType.EXAM, "{\"schoolId\":\"S3\",\"schoolYear\":\"2023-2024\",\"exam\":\"THPT_GRADUATION\","
                    + "\"candidates\":10,\"passed\":9,\"revision\":1,\"submittedAt\":\"2024-07-31T20:00:00+07:00\"}");
            long[] exam = h.stats(Scope.DISTRICT, "001", "exam:2023-2024:THPT_GRADUATION");
            assertThat(exam[exam.length - 2]).as("reporting schools").isEqualTo(1);
            assertThat(exam[exam.length - 1]).as("on time").isEqualTo(1);
        }
    }
}
