package io.schoolstats.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.schoolstats.contract.Topics;
import io.schoolstats.reference.Scope;
import io.schoolstats.report.ReportType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A school's school year of attendance counts it as one reporting school from its first day on.
 * The school stage keeps no school totals: it knows a first day by the school years each school
 * has attendance in, and sums a school's reports when its rows change. Each test below fails if
 * either is wrong (years' vectors: present, enrolled, school days, reporting schools).
 */
class SchoolYearAttendanceTest {
    private static final String Y2023 = "attendance_year:2023-2024";
    private static final String Y2024 = "attendance_year:2024-2025";

    private Harness h;

    @BeforeEach
    void start() {
        h = new Harness();
        h.province("01");
        h.province("14");
        h.district("001", "01");
        h.district("002", "01");
        h.district("003", "14");
        h.school("S1", "001");
        h.school("S2", "001");
        h.school("S3", "002");
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void aSchoolsFirstDayOfAYearCountsOneReportingSchool() {
        h.attendance("S1", "2024-03-05", 100, 90, 1);

        assertThat(h.stats(Scope.DISTRICT, "001", Y2023)).containsExactly(90, 100, 1, 1, 0);
        assertThat(h.stats(Scope.PROVINCE, "01", Y2023)).containsExactly(90, 100, 1, 1, 0);
    }

    @Test
    void correctionsDuplicatesAndStaleRevisionsAddNoReportingSchool() {
        h.attendance("S1", "2024-03-05", 100, 90, 1);
        h.attendance("S1", "2024-03-05", 100, 95, 2);
        h.attendance("S1", "2024-03-05", 100, 97, 3);
        h.attendance("S1", "2024-03-05", 100, 97, 3);
        h.attendance("S1", "2024-03-05", 100, 10, 1);

        assertThat(h.stats(Scope.DISTRICT, "001", Y2023)).containsExactly(97, 100, 1, 1, 0);
        assertThat(h.stats(Scope.PROVINCE, "01", Y2023)).containsExactly(97, 100, 1, 1, 0);
    }

    @Test
    void furtherDaysAddSchoolDaysNotReportingSchools() {
        h.attendance("S1", "2024-03-05", 100, 90, 1);
        h.attendance("S1", "2024-03-06", 100, 80, 1);
        h.attendance("S1", "2024-03-07", 100, 70, 1);
        h.attendance("S1", "2024-03-06", 100, 85, 2);
        h.attendance("S2", "2024-03-05", 50, 40, 1);

        assertThat(h.stats(Scope.DISTRICT, "001", Y2023)).containsExactly(285, 350, 4, 2, 0);
        assertThat(h.stats(Scope.PROVINCE, "01", Y2023)).containsExactly(285, 350, 4, 2, 0);
    }

    @Test
    void aSchoolMovingAfterSeveralDaysMovesExactlyItsFiguresAndItsOneReportingSchool() {
        h.attendance("S1", "2024-03-05", 100, 90, 1);
        h.attendance("S1", "2024-03-06", 100, 80, 1);
        h.attendance("S1", "2024-03-07", 100, 70, 1);
        h.attendance("S1", "2024-03-07", 100, 75, 2);
        h.attendance("S2", "2024-03-05", 50, 40, 1);
        h.attendance("S2", "2024-03-06", 50, 45, 1);
        h.attendance("S3", "2024-03-05", 200, 150, 1);
        h.report(ReportType.COMPLETION, "{\"schoolId\":\"S1\",\"schoolYear\":\"2023-2024\",\"level\":\"PRIMARY\","
                + "\"assessed\":80,\"completed\":78}");
        h.report(ReportType.EXAM, "{\"schoolId\":\"S1\",\"schoolYear\":\"2023-2024\",\"exam\":\"THPT_GRADUATION\","
                + "\"candidates\":30,\"passed\":29}");

        h.school("S1", "003"); // to another province

        assertThat(h.stats(Scope.DISTRICT, "001", Y2023)).containsExactly(85, 100, 2, 1, 0);
        assertThat(h.stats(Scope.DISTRICT, "003", Y2023)).containsExactly(245, 300, 3, 1, 0);
        assertThat(h.stats(Scope.DISTRICT, "002", Y2023)).containsExactly(150, 200, 1, 1, 0);
        assertThat(h.stats(Scope.PROVINCE, "01", Y2023)).containsExactly(235, 300, 3, 2, 0);
        assertThat(h.stats(Scope.PROVINCE, "14", Y2023)).containsExactly(245, 300, 3, 1, 0);
        assertThat(h.stats(Scope.DISTRICT, "003", "attendance_day:2024-03-07")).containsExactly(75, 100, 1, 0);
        assertThat(h.stats(Scope.DISTRICT, "001", "attendance_day:2024-03-07")).isNull();
        assertThat(h.stats(Scope.DISTRICT, "003", "completion:2023-2024:PRIMARY")).containsExactly(80, 78, 0, 0, 1, 0);
        assertThat(h.stats(Scope.DISTRICT, "001", "completion:2023-2024:PRIMARY")).isNull();
        assertThat(h.stats(Scope.PROVINCE, "14", "exam:2023-2024:THPT_GRADUATION")[1]).isEqualTo(29);
        assertThat(h.stats(Scope.PROVINCE, "01", "exam:2023-2024:THPT_GRADUATION")).isNull();
        assertThat(h.stats(Scope.DISTRICT, "001", "registered")).containsExactly(1);
        assertThat(h.stats(Scope.DISTRICT, "003", "registered")).containsExactly(1);

        // A day more at its new unit is a day, not a school; moving back restores the first figures.
        h.attendance("S1", "2024-03-08", 100, 60, 1);
        assertThat(h.stats(Scope.DISTRICT, "003", Y2023)).containsExactly(305, 400, 4, 1, 0);
        h.school("S1", "001");
        assertThat(h.stats(Scope.DISTRICT, "001", Y2023)).containsExactly(390, 500, 6, 2, 0);
        assertThat(h.stats(Scope.PROVINCE, "01", Y2023)).containsExactly(540, 700, 7, 3, 0);
        assertThat(h.stats(Scope.DISTRICT, "003", Y2023)).isNull();
        assertThat(h.stats(Scope.PROVINCE, "14", Y2023)).isNull();
    }

    @Test
    void aSchoolMovingInOneSchoolYearMovesOnlyThatYear() {
        h.attendance("S1", "2024-03-05", 100, 90, 1);
        h.attendance("S1", "2024-09-06", 110, 100, 1);
        h.attendance("S1", "2024-09-09", 110, 105, 1);

        h.school("S1", "2024-2025", "003");

        assertThat(h.stats(Scope.DISTRICT, "001", Y2023)).containsExactly(90, 100, 1, 1, 0);
        assertThat(h.stats(Scope.DISTRICT, "001", Y2024)).isNull();
        assertThat(h.stats(Scope.DISTRICT, "003", Y2024)).containsExactly(205, 220, 2, 1, 0);
        assertThat(h.stats(Scope.DISTRICT, "003", Y2023)).isNull();
    }

    @Test
    void aFirstDayOfANewSchoolYearAfterDaysOfTheLastCountsInBoth() {
        h.attendance("S1", "2024-03-05", 100, 90, 1);
        h.attendance("S1", "2024-03-06", 100, 80, 1);
        h.attendance("S1", "2024-09-06", 110, 100, 1);

        assertThat(h.stats(Scope.DISTRICT, "001", Y2023)).containsExactly(170, 200, 2, 1, 0);
        assertThat(h.stats(Scope.DISTRICT, "001", Y2024)).containsExactly(100, 110, 1, 1, 0);

        // Later days of either year, in any order, are days only.
        h.attendance("S1", "2024-09-09", 110, 105, 1);
        h.attendance("S1", "2024-05-20", 100, 95, 1);
        assertThat(h.stats(Scope.DISTRICT, "001", Y2023)).containsExactly(265, 300, 3, 1, 0);
        assertThat(h.stats(Scope.DISTRICT, "001", Y2024)).containsExactly(205, 220, 2, 1, 0);
        assertThat(h.stats(Scope.PROVINCE, "01", Y2024)).containsExactly(205, 220, 2, 1, 0);
    }

    @Test
    void aYearsFirstDayArrivingAfterALaterYearsDaysCountsInIt() {
        h.attendance("S1", "2024-09-06", 110, 100, 1);
        h.attendance("S1", "2024-03-05", 100, 90, 1);

        assertThat(h.stats(Scope.DISTRICT, "001", Y2023)).containsExactly(90, 100, 1, 1, 0);
        assertThat(h.stats(Scope.DISTRICT, "001", Y2024)).containsExactly(100, 110, 1, 1, 0);
    }

    @Test
    void aSchoolRegisteredAfterItsDaysCountsOnceInTheYear() {
        h.attendance("NEW", "2024-03-05", 60, 30, 1);
        h.attendance("NEW", "2024-03-06", 60, 40, 1);
        h.attendance("NEW", "2024-03-06", 60, 45, 2);
        assertThat(h.stats(Scope.DISTRICT, "002", Y2023)).isNull();

        h.school("NEW", "002");
        assertThat(h.stats(Scope.DISTRICT, "002", Y2023)).containsExactly(75, 120, 2, 1, 0);

        // Its first day reported while it was nowhere is still its first: a new day adds no school.
        h.attendance("NEW", "2024-03-07", 60, 50, 1);
        assertThat(h.stats(Scope.DISTRICT, "002", Y2023)).containsExactly(125, 180, 3, 1, 0);
    }

    @Test
    void aHeldExamReportMovesNowhereAndCountsAtTheNewUnitOnceDefined() {
        h.attendance("S1", "2024-03-05", 100, 90, 1);
        h.report(ReportType.EXAM, "{\"schoolId\":\"S1\",\"schoolYear\":\"2023-2024\",\"exam\":\"OLYMPIAD_30_4\","
                + "\"candidates\":10,\"passed\":4}");

        h.school("S1", "003");
        assertThat(h.stats(Scope.DISTRICT, "003", "exam:2023-2024:OLYMPIAD_30_4")).isNull();
        assertThat(h.stats(Scope.DISTRICT, "003", Y2023)).containsExactly(90, 100, 1, 1, 0);

        h.reference(Topics.EXAMS, "OLYMPIAD_30_4", "{\"code\":\"OLYMPIAD_30_4\",\"name\":\"Olympic 30/4\"}");
        assertThat(h.stats(Scope.DISTRICT, "003", "exam:2023-2024:OLYMPIAD_30_4")[1]).isEqualTo(4);
        assertThat(h.stats(Scope.DISTRICT, "001", "exam:2023-2024:OLYMPIAD_30_4")).isNull();
        h.school("S1", "001");
        assertThat(h.stats(Scope.DISTRICT, "001", "exam:2023-2024:OLYMPIAD_30_4")[1]).isEqualTo(4);
        assertThat(h.stats(Scope.DISTRICT, "003", "exam:2023-2024:OLYMPIAD_30_4")).isNull();
    }

    @Test
    void aSchoolIdThatPrefixesAnothersMovesOnlyItsOwnReports() {
        // TopologyTestDriver runs every school in one task, so one store of reports holds both (as a
        // real task holds many schools): a scan on "S1" without its '|' would take S10's.
        h.school("S10", "002");
        h.attendance("S1", "2024-03-05", 100, 90, 1);
        h.attendance("S10", "2024-03-05", 40, 20, 1);

        h.school("S1", "003");

        assertThat(h.stats(Scope.DISTRICT, "003", Y2023)).containsExactly(90, 100, 1, 1, 0);
        assertThat(h.stats(Scope.DISTRICT, "002", Y2023)).containsExactly(20, 40, 1, 1, 0);
    }
}
