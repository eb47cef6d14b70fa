package io.schoolstats.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.schoolstats.contract.Topics;
import io.schoolstats.reference.Scope;
import io.schoolstats.report.ReportType;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Exam reports of codes outside the catalogue are held on Kafka: no series until an operator adds the code. */
class ExamCatalogueTest {
    private static final String OLYMPIAD = "exam:2023-2024:OLYMPIAD_30_4";

    private Harness h;

    @BeforeEach
    void start() {
        h = new Harness();
        h.province("01");
        h.district("001", "01");
        h.school("S1", "001");
        h.school("S2", "001");
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private void exam(String school, String code, long candidates, long passed, long revision) {
        h.report(ReportType.EXAM, String.format("{\"schoolId\":\"%s\",\"schoolYear\":\"2023-2024\",\"exam\":\"%s\","
                + "\"candidates\":%d,\"passed\":%d,\"revision\":%d}", school, code, candidates, passed, revision));
    }

    private void define(String code) {
        h.reference(Topics.EXAMS, code, "{\"code\":\"" + code + "\",\"name\":\"Olympic 30/4\"}");
    }

    private static List<Long> counts(long[] counts) {
        return counts == null ? null : java.util.Arrays.stream(counts).boxed().toList();
    }

    @Test
    void anUnknownCodeIsHeldWithItsCorrectionsAndCountsOnceDefined() {
        exam("S1", "OLYMPIAD_30_4", 10, 4, 1);
        exam("S2", "OLYMPIAD_30_4", 5, 5, 1);
        exam("S1", "OLYMPIAD_30_4", 10, 6, 2); // a correction while held

        assertThat(h.stats(Scope.DISTRICT, "001", OLYMPIAD)).isNull();
        assertThat(h.stats(Scope.PROVINCE, "01", OLYMPIAD)).isNull();
        assertThat(h.all(Scope.DISTRICT).keySet()).noneMatch(k -> k.contains("OLYMPIAD"));
        assertThat(h.rejected()).isEmpty();
        assertThat(h.query().examDefined("OLYMPIAD_30_4")).isFalse();

        define("OLYMPIAD_30_4");
        assertThat(h.query().examDefined("OLYMPIAD_30_4")).isTrue();
        assertThat(counts(h.stats(Scope.DISTRICT, "001", OLYMPIAD)).subList(0, 2)).containsExactly(15L, 11L);
        assertThat(counts(h.stats(Scope.PROVINCE, "01", OLYMPIAD)).subList(0, 2)).containsExactly(15L, 11L);

        // Counted from now on like any other code: corrections move the figures.
        exam("S2", "OLYMPIAD_30_4", 5, 3, 2);
        assertThat(counts(h.stats(Scope.PROVINCE, "01", OLYMPIAD)).subList(0, 2)).containsExactly(15L, 9L);
    }

    @Test
    void removingACodeWithdrawsItsReportsAndAddingItBackRestoresThem() {
        define("OLYMPIAD_30_4");
        exam("S1", "OLYMPIAD_30_4", 10, 4, 1);
        var withOlympiad = h.all(Scope.PROVINCE);
        h.reference(Topics.EXAMS, "OLYMPIAD_30_4", null);
        assertThat(h.stats(Scope.PROVINCE, "01", OLYMPIAD)).isNull();
        exam("S1", "OLYMPIAD_30_4", 10, 7, 2); // held again
        define("OLYMPIAD_30_4");
        assertThat(counts(h.stats(Scope.PROVINCE, "01", OLYMPIAD)).subList(0, 2)).containsExactly(10L, 7L);
        exam("S1", "OLYMPIAD_30_4", 10, 4, 3);
        assertThat(h.all(Scope.PROVINCE)).isEqualTo(withOlympiad);
    }

    @Test
    void builtInCodesAlwaysCountAndCannotBeRemoved() {
        exam("S1", "THPT_GRADUATION", 40, 38, 1);
        h.reference(Topics.EXAMS, "THPT_GRADUATION", null);
        assertThat(counts(h.stats(Scope.DISTRICT, "001", "exam:2023-2024:THPT_GRADUATION")).subList(0, 2))
                .containsExactly(40L, 38L);
        assertThat(h.query().examDefined("THPT_GRADUATION")).isTrue();
    }

    @Test
    void aHeldReportFollowsItsSchoolWhenItMoves() {
        h.district("002", "01");
        exam("S1", "OLYMPIAD_30_4", 10, 4, 1);
        h.school("S1", "002");
        define("OLYMPIAD_30_4");
        assertThat(h.stats(Scope.DISTRICT, "001", OLYMPIAD)).isNull();
        assertThat(counts(h.stats(Scope.DISTRICT, "002", OLYMPIAD)).subList(0, 2)).containsExactly(10L, 4L);
    }

    @Test
    void badCatalogueRowsAreRejected() {
        h.reference(Topics.EXAMS, "bad code", "{\"code\":\"bad code\",\"name\":\"x\"}");
        h.reference(Topics.EXAMS, "OLYMPIAD_30_4", "{\"code\":\"OTHER\",\"name\":\"x\"}");
        h.reference(Topics.EXAMS, "lower", null);
        assertThat(h.rejected()).extracting(n -> n.get("reason").asText())
                .containsExactly("invalid_exam_code", "key_mismatch", "key_mismatch");
        assertThat(h.query().examDefined("OTHER")).isFalse();
    }
}
