package io.schoolstats.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.schoolstats.reference.Scope;
import io.schoolstats.report.Report;
import io.schoolstats.report.ReportType;
import io.schoolstats.stage.InternalCodec;
import io.schoolstats.stage.SchoolInput;
import io.schoolstats.topology.ReportOutcomes.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The direct path on TopologyTestDriver. The driver reads every record from partition 0 of its
 * topic and the harness runs the topology with 3 partitions: a report of a school whose partition
 * is 0 is already in place and must skip {@code reports-by-school}, whatever its Kafka key; a
 * report of any other school is in the wrong partition and must go through it. Either way every
 * figure is exact. (A correction that changes path is on a real broker: DirectPathOnBrokerTest.)
 */
class DirectPathTest {
    private static final String DAY = "attendance_day:2024-03-05";
    private static final int PARTITIONS = 3;

    /** Two schools in place (partition 0), two elsewhere. */
    private final String a1 = school(true, 0);
    private final String a2 = school(true, 1);
    private final String b1 = school(false, 0);
    private final String b2 = school(false, 1);
    private Harness h;

    @BeforeEach
    void start() {
        h = new Harness();
        h.province("01");
        h.district("001", "01");
        for (String s : List.of(a1, a2, b1, b2)) {
            h.school(s, "001");
        }
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void reportsInPlaceSkipTheRepartitionAndTheOthersTakeItWithExactFigures() {
        h.repartitioned("reports-by-school"); // nothing of the set-up, which has no report
        attendance(a1, a1, 100, 90, 1);
        attendance(a1, "x", 100, 95, 2);   // a correction under another key: still in place
        attendance(a1, null, 100, 10, 1);  // stale, no key
        attendance(a2, null, 50, 40, 1);
        attendance(a2, "x", 50, 40, 1);    // duplicate
        attendance(b1, b1, 100, 80, 1);
        attendance(b1, "x", 100, 85, 3);
        attendance(b1, null, 100, 10, 2);  // stale
        attendance(b2, a1, 60, 30, 1);     // keyed like a school in place: its own school decides
        attendance(b2, b2, 60, 30, 1);     // duplicate

        assertThat(h.stats(Scope.DISTRICT, "001", DAY)).containsExactly(95 + 40 + 85 + 30, 100 + 50 + 100 + 60, 4, 0);
        assertThat(h.stats(Scope.PROVINCE, "01", DAY)).containsExactly(250, 310, 4, 0);
        assertThat(h.outcomes.get(ReportType.ATTENDANCE, Outcome.ACCEPTED)).isEqualTo(6);
        assertThat(h.outcomes.get(ReportType.ATTENDANCE, Outcome.STALE)).isEqualTo(2);
        assertThat(h.outcomes.get(ReportType.ATTENDANCE, Outcome.DUPLICATE)).isEqualTo(2);

        // Only the reports of the schools elsewhere, each once, keyed by their school.
        assertThat(h.repartitioned("reports-by-school").stream().map(DirectPathTest::describe).toList())
                .containsExactly(b1 + "/" + b1 + "/1", b1 + "/" + b1 + "/3", b1 + "/" + b1 + "/2",
                        b2 + "/" + b2 + "/1", b2 + "/" + b2 + "/1");
    }

    @Test
    void everyReportTypeTakesThePathOfItsSchool() {
        h.repartitioned("reports-by-school");
        h.report(ReportType.COMPLETION, "x", "{\"schoolId\":\"" + a1 + "\",\"schoolYear\":\"2023-2024\","
                + "\"level\":\"PRIMARY\",\"assessed\":40,\"completed\":38}");
        h.report(ReportType.EXAM, null, "{\"schoolId\":\"" + a2 + "\",\"schoolYear\":\"2023-2024\","
                + "\"exam\":\"THPT_GRADUATION\",\"candidates\":30,\"passed\":27}");
        h.report(ReportType.COMPLETION, b1, "{\"schoolId\":\"" + b1 + "\",\"schoolYear\":\"2023-2024\","
                + "\"level\":\"PRIMARY\",\"assessed\":20,\"completed\":10}");
        h.report(ReportType.EXAM, a1, "{\"schoolId\":\"" + b2 + "\",\"schoolYear\":\"2023-2024\","
                + "\"exam\":\"THPT_GRADUATION\",\"candidates\":10,\"passed\":5}");

        assertThat(h.stats(Scope.DISTRICT, "001", "completion:2023-2024:PRIMARY")).containsExactly(60, 48, 0, 0, 2, 0);
        assertThat(h.stats(Scope.DISTRICT, "001", "exam:2023-2024:THPT_GRADUATION"))
                .containsExactly(40, 32, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0);
        assertThat(h.repartitioned("reports-by-school").stream().map(DirectPathTest::describe).toList())
                .containsExactly(b1 + "/" + b1 + "/1", b2 + "/" + b2 + "/1");
    }

    @Test
    void schoolRowsAlwaysTakeTheirRepartitionWhoseOrderTheyNeed() {
        // A row's order matters (the latest of a key wins): one path for all, in place or not.
        assertThat(h.repartitioned("school-rows-by-id").stream().map(TestRecord::key).toList())
                .containsExactly(a1, a2, b1, b2);
        h.district("002", "01");
        attendance(a1, a1, 100, 90, 1);
        attendance(b1, b1, 100, 80, 1);
        // Both schools move to district 002 for the year of the reports (a row of one school year, keyed id|year).
        h.school(a1, "2023-2024", "002");
        h.school(b1, "2023-2024", "002");
        h.school(b2, null, "002");

        assertThat(h.stats(Scope.DISTRICT, "002", DAY)).containsExactly(90 + 80, 200, 2, 0);
        assertThat(h.stats(Scope.DISTRICT, "001", DAY)).isNull(); // back to nothing: removed
        assertThat(h.stats(Scope.PROVINCE, "01", DAY)).containsExactly(170, 200, 2, 0);
        assertThat(h.stats(Scope.DISTRICT, "002", "registered:2023-2024")).containsExactly(2);
        assertThat(h.repartitioned("school-rows-by-id").stream().map(TestRecord::key).toList())
                .containsExactly(a1, b1, b2);
    }

    private void attendance(String school, String key, int enrolled, int present, int revision) {
        h.report(ReportType.ATTENDANCE, key, String.format(
                "{\"schoolId\":\"%s\",\"date\":\"2024-03-05\",\"enrolled\":%d,\"present\":%d,\"revision\":%d}",
                school, enrolled, present, revision));
    }

    /** A repartitioned record as key/school/revision. */
    private static String describe(TestRecord<String, byte[]> record) {
        SchoolInput input = InternalCodec.schoolInput().deserializer().deserialize("reports-by-school", record.value());
        Report report = ((SchoolInput.ReportArrived) input).report();
        return record.key() + "/" + report.schoolId() + "/" + report.revision();
    }

    /**
     * The n-th school id in place (its partition is 0, the only one the driver reads from) or not.
     * The partition is computed here as Kafka's default partitioner does for a String key, not
     * taken from the engine, so that a different formula there fails this test.
     */
    private static String school(boolean inPlace, int n) {
        int found = 0;
        for (int i = 0; ; i++) {
            String id = "HN-001-TH-" + i;
            int partition = Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
            if ((partition == 0) == inPlace && found++ == n) {
                return id;
            }
        }
    }
}
