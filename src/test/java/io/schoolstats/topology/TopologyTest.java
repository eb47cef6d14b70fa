package io.schoolstats.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.schoolstats.reference.Scope;
import io.schoolstats.report.ReportType;
import io.schoolstats.topology.ReportOutcomes.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TopologyTest {
    private static final String DAY = "attendance_day:2024-03-05";
    private static final String YEAR = "attendance_year:2023-2024";

    private Harness h;

    @BeforeEach
    void start() {
        h = new Harness();
        h.province("01");
        h.province("14");
        h.district("001", "01");
        h.district("002", "01");
        h.school("S1", "001");
        h.school("S2", "001");
        h.school("S3", "002");
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void sumsAttendanceIntoDistrictAndProvince() {
        h.attendance("S1", "2024-03-05", 100, 90, 1);
        h.attendance("S2", "2024-03-05", 50, 40, 1);
        h.attendance("S3", "2024-03-05", 200, 150, 1);

        assertThat(h.stats(Scope.DISTRICT, "001", DAY)).containsExactly(130, 150, 2, 0);
        assertThat(h.stats(Scope.DISTRICT, "002", DAY)).containsExactly(150, 200, 1, 0);
        assertThat(h.stats(Scope.PROVINCE, "01", DAY)).containsExactly(280, 350, 3, 0);
        assertThat(h.stats(Scope.PROVINCE, "01", YEAR)).containsExactly(280, 350, 3, 3, 0);
        assertThat(h.stats(Scope.DISTRICT, "001", "registered")).containsExactly(2);
        assertThat(h.stats(Scope.PROVINCE, "01", "registered")).containsExactly(3);
    }

    @Test
    void schoolYearCountsEachSchoolOnceWhateverItsDays() {
        h.attendance("S1", "2024-03-05", 100, 90, 1);
        h.attendance("S1", "2024-03-06", 100, 80, 1);
        h.attendance("S1", "2024-09-06", 110, 100, 1);

        assertThat(h.stats(Scope.DISTRICT, "001", YEAR)).containsExactly(170, 200, 2, 1, 0);
        assertThat(h.stats(Scope.DISTRICT, "001", "attendance_year:2024-2025")).containsExactly(100, 110, 1, 1, 0);
    }

    @Test
    void higherRevisionReplacesTheReport() {
        h.attendance("S1", "2024-03-05", 100, 90, 1);
        h.attendance("S1", "2024-03-05", 100, 95, 2);

        assertThat(h.stats(Scope.DISTRICT, "001", DAY)).containsExactly(95, 100, 1, 0);
        assertThat(h.stats(Scope.PROVINCE, "01", YEAR)).containsExactly(95, 100, 1, 1, 0);
        assertThat(h.outcomes.get(ReportType.ATTENDANCE, Outcome.ACCEPTED)).isEqualTo(2);
    }

    @Test
    void staleRevisionChangesNothing() {
        h.attendance("S1", "2024-03-05", 100, 95, 2);
        h.attendance("S1", "2024-03-05", 100, 90, 1);

        assertThat(h.stats(Scope.DISTRICT, "001", DAY)).containsExactly(95, 100, 1, 0);
        assertThat(h.outcomes.get(ReportType.ATTENDANCE, Outcome.STALE)).isEqualTo(1);
    }

    @Test
    void duplicateChangesNothingEvenWithOtherCounts() {
        h.attendance("S1", "2024-03-05", 100, 90, 1);
        h.attendance("S1", "2024-03-05", 100, 90, 1);
        h.attendance("S1", "2024-03-05", 100, 10, 1);

        assertThat(h.stats(Scope.DISTRICT, "001", DAY)).containsExactly(90, 100, 1, 0);
        assertThat(h.outcomes.get(ReportType.ATTENDANCE, Outcome.DUPLICATE)).isEqualTo(2);
        assertThat(h.outcomes.get(ReportType.ATTENDANCE, Outcome.ACCEPTED)).isEqualTo(1);
    }

    @Test
    void revisionsSpreadOverKeysAndPartitionsStillMeet() {
        // The producer's key decides the input partition; the natural key must still decide the winner.
        h.report(ReportType.ATTENDANCE, "some-key",
                "{\"schoolId\":\"S1\",\"date\":\"2024-03-05\",\"enrolled\":100,\"present\":90}");
        h.report(ReportType.ATTENDANCE, null,
                "{\"schoolId\":\"S1\",\"date\":\"2024-03-05\",\"enrolled\":100,\"present\":97,\"revision\":3}");
        h.report(ReportType.ATTENDANCE, "S9",
                "{\"schoolId\":\"S1\",\"date\":\"2024-03-05\",\"enrolled\":100,\"present\":91,\"revision\":2}");

        assertThat(h.stats(Scope.DISTRICT, "001", DAY)).containsExactly(97, 100, 1, 0);
    }

    @Test
    void reportBeforeItsSchoolIsRegisteredCountsOnceItIs() {
        h.attendance("NEW", "2024-03-05", 60, 30, 1);
        assertThat(h.stats(Scope.DISTRICT, "002", DAY)).isNull();
        assertThat(h.rejected()).isEmpty();

        h.school("NEW", "002");
        assertThat(h.stats(Scope.DISTRICT, "002", DAY)).containsExactly(30, 60, 1, 0);
        assertThat(h.stats(Scope.DISTRICT, "002", "registered")).containsExactly(2);
        assertThat(h.stats(Scope.PROVINCE, "01", DAY)).containsExactly(30, 60, 1, 0);
    }

    @Test
    void schoolMovingDistrictMovesEveryAggregate() {
        h.attendance("S1", "2024-03-05", 100, 90, 1);
        h.attendance("S2", "2024-03-05", 50, 40, 1);
        h.report(ReportType.COMPLETION, "{\"schoolId\":\"S1\",\"schoolYear\":\"2023-2024\",\"level\":\"PRIMARY\","
                + "\"assessed\":80,\"completed\":78,\"conductGood\":70}");

        h.school("S1", "002");

        assertThat(h.stats(Scope.DISTRICT, "001", DAY)).containsExactly(40, 50, 1, 0);
        assertThat(h.stats(Scope.DISTRICT, "002", DAY)).containsExactly(90, 100, 1, 0);
        assertThat(h.stats(Scope.DISTRICT, "001", "completion:2023-2024:PRIMARY")).isNull();
        assertThat(h.stats(Scope.DISTRICT, "002", "completion:2023-2024:PRIMARY")).containsExactly(80, 78, 70, 80, 1, 0);
        assertThat(h.stats(Scope.DISTRICT, "001", "registered")).containsExactly(1);
        assertThat(h.stats(Scope.DISTRICT, "002", "registered")).containsExactly(2);
        // Same province: nothing changes there, and nothing is counted twice.
        assertThat(h.stats(Scope.PROVINCE, "01", DAY)).containsExactly(130, 150, 2, 0);
    }

    @Test
    void districtChangingProvinceMovesItsAggregates() {
        h.attendance("S1", "2024-03-05", 100, 90, 1);
        h.attendance("S3", "2024-03-05", 200, 150, 1);

        h.district("002", "14");

        assertThat(h.stats(Scope.PROVINCE, "01", DAY)).containsExactly(90, 100, 1, 0);
        assertThat(h.stats(Scope.PROVINCE, "14", DAY)).containsExactly(150, 200, 1, 0);
        assertThat(h.stats(Scope.PROVINCE, "14", "registered")).containsExactly(1);
        assertThat(h.stats(Scope.PROVINCE, "01", "registered")).containsExactly(2);
    }

    @Test
    void clusterMembersDifferBetweenSchoolYears() {
        h.cluster("C1", "2023-2024", "district", "001", "002");
        h.cluster("C1", "2024-2025", "district", "001");
        h.attendance("S1", "2024-03-05", 100, 90, 1);
        h.attendance("S3", "2024-03-05", 200, 150, 1);
        h.attendance("S1", "2024-09-10", 100, 80, 1);
        h.attendance("S3", "2024-09-10", 200, 190, 1);

        assertThat(h.stats(Scope.CLUSTER, "C1", DAY)).containsExactly(240, 300, 2, 0);
        assertThat(h.stats(Scope.CLUSTER, "C1", "attendance_day:2024-09-10")).containsExactly(80, 100, 1, 0);
        assertThat(h.stats(Scope.CLUSTER, "C1", "registered:2023-2024")).containsExactly(3);
        assertThat(h.stats(Scope.CLUSTER, "C1", "registered:2024-2025")).containsExactly(2);

        h.cluster("C1", "2024-2025", "district", "002");
        assertThat(h.stats(Scope.CLUSTER, "C1", "attendance_day:2024-09-10")).containsExactly(190, 200, 1, 0);
        assertThat(h.stats(Scope.CLUSTER, "C1", "registered:2024-2025")).containsExactly(1);
        assertThat(h.stats(Scope.CLUSTER, "C1", DAY)).containsExactly(240, 300, 2, 0);
    }

    @Test
    void provinceClusterCountsItsProvinces() {
        h.cluster("MOET-C4", "2023-2024", "province", "14", "01");
        h.district("003", "14");
        h.school("S4", "003");
        h.attendance("S4", "2024-03-05", 10, 9, 1);
        h.attendance("S1", "2024-03-05", 100, 90, 1);

        assertThat(h.stats(Scope.CLUSTER, "MOET-C4", DAY)).containsExactly(99, 110, 2, 0);
        assertThat(h.stats(Scope.CLUSTER, "MOET-C4", "registered:2023-2024")).containsExactly(4);
    }

    @Test
    void deletionsTakeEverythingAway() {
        h.cluster("C1", "2023-2024", "district", "001", "002");
        h.attendance("S1", "2024-03-05", 100, 90, 1);
        h.attendance("S3", "2024-03-05", 200, 150, 1);

        h.school("S1", null);
        assertThat(h.stats(Scope.DISTRICT, "001", DAY)).isNull();
        assertThat(h.stats(Scope.CLUSTER, "C1", DAY)).containsExactly(150, 200, 1, 0);

        h.district("002", null);
        assertThat(h.stats(Scope.DISTRICT, "002", DAY)).containsExactly(150, 200, 1, 0);
        assertThat(h.stats(Scope.PROVINCE, "01", DAY)).isNull();
        assertThat(h.stats(Scope.CLUSTER, "C1", DAY)).isNull();

        h.district("002", "01");
        h.deleteCluster("C1", "2023-2024");
        assertThat(h.stats(Scope.PROVINCE, "01", DAY)).containsExactly(150, 200, 1, 0);
        assertThat(h.all(Scope.CLUSTER)).isEmpty();

        h.school("S1", "001");
        assertThat(h.stats(Scope.PROVINCE, "01", DAY)).containsExactly(240, 300, 2, 0);
    }

    @Test
    void completionAndExamsAreCounted() {
        h.report(ReportType.COMPLETION, "{\"schoolId\":\"S1\",\"schoolYear\":\"2023-2024\",\"level\":\"PRIMARY\","
                + "\"assessed\":80,\"completed\":78,\"conductGood\":70}");
        h.report(ReportType.COMPLETION, "{\"schoolId\":\"S2\",\"schoolYear\":\"2023-2024\",\"level\":\"PRIMARY\","
                + "\"assessed\":20,\"completed\":19}");
        h.report(ReportType.EXAM, "{\"schoolId\":\"S1\",\"schoolYear\":\"2023-2024\",\"exam\":\"THPT_GRADUATION\","
                + "\"candidates\":40,\"passed\":38,\"scoreBands\":[0,0,1,1,2,6,10,10,6,4],"
                + "\"awards\":{\"first\":1,\"third\":2}}");
        h.report(ReportType.EXAM, "{\"schoolId\":\"S3\",\"schoolYear\":\"2023-2024\",\"exam\":\"THPT_GRADUATION\","
                + "\"candidates\":10,\"passed\":9}");

        assertThat(h.stats(Scope.DISTRICT, "001", "completion:2023-2024:PRIMARY")).containsExactly(100, 97, 70, 80, 2, 0);
        assertThat(h.stats(Scope.PROVINCE, "01", "exam:2023-2024:THPT_GRADUATION"))
                .containsExactly(50, 47, 0, 0, 1, 1, 2, 6, 10, 10, 6, 4, 1, 0, 2, 0, 2, 0);
    }

    @Test
    void aggregatesAreWrittenToOutputTopicsAndVanishWithTombstones() {
        var out = h.output(Scope.DISTRICT);
        h.attendance("S1", "2024-03-05", 100, 90, 1);
        var records = out.readKeyValuesToMap();
        assertThat(new String(records.get("001|" + DAY), java.nio.charset.StandardCharsets.UTF_8))
                .contains("\"present\":90").contains("\"enrolled\":100").contains("\"scope\":\"district\"");

        h.school("S1", null);
        records = out.readKeyValuesToMap();
        assertThat(records).containsKey("001|" + DAY);
        assertThat(records.get("001|" + DAY)).isNull();
    }
}
