package io.schoolstats.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportParserTest {
    private static Parsed<Report> parse(ReportType type, String json) {
        return ReportParser.parse(type, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsAFullExamReport() {
        Parsed<Report> parsed = parse(ReportType.EXAM, "{\"schoolId\":\"HN-1\",\"schoolYear\":\"2023-2024\","
                + "\"exam\":\"GRADE10_ENTRANCE\",\"candidates\":40,\"passed\":30,\"revision\":3,"
                + "\"submittedAt\":\"2024-06-20T10:00:00+07:00\",\"scoreBands\":[0,1,2,3,4,5,6,7,8,4],"
                + "\"awards\":{\"first\":1,\"consolation\":2}}");

        assertThat(parsed.isValid()).isTrue();
        ExamReport exam = (ExamReport) parsed.value();
        assertThat(exam.revision()).isEqualTo(3);
        assertThat(exam.submittedAt()).isEqualTo(Instant.parse("2024-06-20T03:00:00Z"));
        assertThat(exam.scoreBands()).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 4L);
        assertThat(exam.awards()).isEqualTo(new ExamReport.Awards(1, 0, 0, 2));
        assertThat(exam.naturalKey()).isEqualTo("HN-1|exam|2023-2024|GRADE10_ENTRANCE");
    }

    @Test
    void revisionDefaultsToOneAndSubmittedAtToTheFallback() {
        Instant kafkaTime = Instant.parse("2024-03-05T01:00:00Z");
        Parsed<Report> parsed = ReportParser.parse(ReportType.ATTENDANCE,
                "{\"schoolId\":\"S\",\"date\":\"2024-03-05\",\"enrolled\":0,\"present\":0}".getBytes(StandardCharsets.UTF_8),
                Received.at(kafkaTime, Received.DEFAULT_ZONE));
        AttendanceReport a = (AttendanceReport) parsed.value();
        assertThat(a.revision()).isEqualTo(1);
        assertThat(a.submittedAt()).isEqualTo(kafkaTime);
        assertThat(a.date()).isEqualTo(LocalDate.of(2024, 3, 5));
        assertThat(a.schoolYear()).isEqualTo("2023-2024");
    }

    @Test
    void collectsEveryViolationWithItsField() {
        Parsed<Report> parsed = parse(ReportType.ATTENDANCE, "{\"schoolId\":\"\",\"date\":\"2024-13-01\",\"present\":-2}");

        assertThat(parsed.violations()).extracting(Violation::field, v -> v.reason().code()).containsExactly(
                org.assertj.core.groups.Tuple.tuple("schoolId", "invalid_id"),
                org.assertj.core.groups.Tuple.tuple("date", "invalid_date"),
                org.assertj.core.groups.Tuple.tuple("enrolled", "missing_field"),
                org.assertj.core.groups.Tuple.tuple("present", "negative_count"));
    }

    @Test
    void aDateIsYyyyMmDdExactlyAndARealCalendarDay() {
        for (String good : List.of("2024-02-29", "2024-03-05", "2023-12-31")) {
            assertThat(((AttendanceReport) attendanceOn(good).value()).date()).isEqualTo(LocalDate.parse(good));
        }
        for (String bad : List.of("2023-02-29", "2024-02-30", "2024-13-01", "2024-00-10", "2024-01-00", "2024-1-05",
                "24-01-05", "+2024-01-05", "2024/01/05", "2024-01-05T00:00", " 2024-01-05", "\u0662024-01-05",
                "２０２４-01-05", "2024-0a-05", "20240105", "")) {
            assertThat(reason(attendanceOn(bad))).as(bad).isEqualTo("invalid_date");
        }
    }

    private static Parsed<Report> attendanceOn(String date) {
        return parse(ReportType.ATTENDANCE, "{\"schoolId\":\"S\",\"date\":\"" + date
                + "\",\"enrolled\":5,\"present\":5,\"submittedAt\":\"2024-03-05T07:00:00+07:00\"}");
    }

    @Test
    void anIdIsOneTo64CharactersWithoutABar() {
        String emoji = "\uD83C\uDFEB"; // one character, two UTF-16 units
        for (String good : List.of("S", "A".repeat(64), emoji.repeat(64), "TRƯỜNG-01")) {
            assertThat(Fields.isId(good)).as(good).isTrue();
        }
        for (String bad : List.of("", "A".repeat(65), emoji.repeat(65), "S|1", "|", "S\u0001", "S\u007F", "S\u0085",
                java.text.Normalizer.normalize("TRƯỜNG-01", java.text.Normalizer.Form.NFD))) {
            assertThat(Fields.isId(bad)).as(bad).isFalse();
        }
    }

    @Test
    void nullMeansAbsentForOptionalFields() {
        Parsed<Report> parsed = parse(ReportType.COMPLETION, "{\"schoolId\":\"S\",\"schoolYear\":\"2023-2024\","
                + "\"level\":\"PRESCHOOL\",\"assessed\":5,\"completed\":5,\"conductGood\":null}");
        assertThat(((CompletionReport) parsed.value()).conductGood()).isNull();
    }

    @Test
    void schoolYearsStartInSeptember() {
        assertThat(SchoolYear.of(LocalDate.of(2024, 8, 31))).isEqualTo("2023-2024");
        assertThat(SchoolYear.of(LocalDate.of(2024, 9, 1))).isEqualTo("2024-2025");
        assertThat(List.of("2023-2024", "1999-2000")).allMatch(SchoolYear::isValid);
        assertThat(List.of("2023-2023", "2023/2024", "23-24", "2023-20245")).noneMatch(SchoolYear::isValid);
    }

    private static Parsed<Report> received(ReportType type, String json, String receivedAt) {
        return ReportParser.parse(type, json.getBytes(StandardCharsets.UTF_8),
                Received.at(Instant.parse(receivedAt), Received.DEFAULT_ZONE));
    }

    private static String reason(Parsed<Report> parsed) {
        return parsed.isValid() ? "valid" : parsed.violations().get(0).reason().code();
    }

    @Test
    void anAttendanceDateMayBeAtMostTheDayAfterSubmissionInVietnam() {
        String tomorrow = "{\"schoolId\":\"S\",\"date\":\"2026-11-24\",\"enrolled\":5,\"present\":5}";
        String later = "{\"schoolId\":\"S\",\"date\":\"2026-11-25\",\"enrolled\":5,\"present\":5}";
        // 23 Nov 2026 18:00 UTC is already 24 Nov in Hanoi: the 25th is then "tomorrow".
        assertThat(reason(received(ReportType.ATTENDANCE, tomorrow, "2026-11-23T00:00:00Z"))).isEqualTo("valid");
        assertThat(reason(received(ReportType.ATTENDANCE, later, "2026-11-23T00:00:00Z"))).isEqualTo("date_in_future");
        assertThat(reason(received(ReportType.ATTENDANCE, later, "2026-11-23T18:00:00Z"))).isEqualTo("valid");
        assertThat(reason(received(ReportType.ATTENDANCE,
                "{\"schoolId\":\"S\",\"date\":\"9999-12-31\",\"enrolled\":5,\"present\":5}", "2026-11-23T00:00:00Z")))
                .isEqualTo("date_in_future");
        assertThat(reason(received(ReportType.ATTENDANCE,
                "{\"schoolId\":\"S\",\"date\":\"1999-12-31\",\"enrolled\":5,\"present\":5}", "2026-11-23T00:00:00Z")))
                .isEqualTo("school_year_out_of_range");
        // Years before 1000 print without padding ("999-1000" sorts after "2000-2001" as text).
        assertThat(reason(received(ReportType.ATTENDANCE,
                "{\"schoolId\":\"S\",\"date\":\"0999-10-01\",\"enrolled\":5,\"present\":5}", "2026-11-23T00:00:00Z")))
                .isEqualTo("school_year_out_of_range");
        // An ancient submittedAt is no crash: the date is then "in the future" of it.
        assertThat(reason(received(ReportType.ATTENDANCE, "{\"schoolId\":\"S\",\"date\":\"2024-03-05\",\"enrolled\":5,"
                + "\"present\":5,\"submittedAt\":\"0999-06-01T00:00:00Z\"}", "2026-11-23T00:00:00Z"))).isEqualTo("date_in_future");
        assertThat(reason(received(ReportType.EXAM, "{\"schoolId\":\"S\",\"schoolYear\":\"2023-2024\",\"exam\":\"THPT_GRADUATION\","
                + "\"candidates\":5,\"passed\":5,\"submittedAt\":\"0999-06-01T00:00:00Z\"}", "2026-11-23T00:00:00Z")))
                .isEqualTo("school_year_out_of_range");
    }

    @Test
    void submittedAtBoundsTheDateButMayNotRunAheadOfReceipt() {
        // A school that says it submitted on the 30th, received on the 23rd: its clock is wrong.
        String json = "{\"schoolId\":\"S\",\"date\":\"2026-11-30\",\"enrolled\":5,\"present\":5,"
                + "\"submittedAt\":\"2026-11-30T07:00:00+07:00\"}";
        assertThat(reason(received(ReportType.ATTENDANCE, json, "2026-11-23T00:00:00Z"))).isEqualTo("submitted_at_in_future");
        // An old report re-sent today keeps its own submission time, and its date stays in bounds.
        String old = "{\"schoolId\":\"S\",\"date\":\"2024-03-05\",\"enrolled\":5,\"present\":5,"
                + "\"submittedAt\":\"2024-03-05T07:00:00+07:00\"}";
        assertThat(reason(received(ReportType.ATTENDANCE, old, "2026-11-23T00:00:00Z"))).isEqualTo("valid");
        String early = "{\"schoolId\":\"S\",\"date\":\"2024-03-07\",\"enrolled\":5,\"present\":5,"
                + "\"submittedAt\":\"2024-03-05T07:00:00+07:00\"}";
        assertThat(reason(received(ReportType.ATTENDANCE, early, "2026-11-23T00:00:00Z"))).isEqualTo("date_in_future");
    }

    @Test
    void aSchoolYearMayBeAtMostTheNextOneAndNotBefore2000() {
        String template = "{\"schoolId\":\"S\",\"schoolYear\":\"%s\",\"level\":\"PRIMARY\",\"assessed\":5,\"completed\":5}";
        String examTemplate = "{\"schoolId\":\"S\",\"schoolYear\":\"%s\",\"exam\":\"THPT_GRADUATION\",\"candidates\":5,"
                + "\"passed\":5}";
        String at = "2026-11-23T00:00:00Z"; // in school year 2026-2027
        assertThat(reason(received(ReportType.COMPLETION, template.formatted("2027-2028"), at))).isEqualTo("valid");
        assertThat(reason(received(ReportType.COMPLETION, template.formatted("2028-2029"), at)))
                .isEqualTo("school_year_out_of_range");
        assertThat(reason(received(ReportType.EXAM, examTemplate.formatted("2090-2091"), at)))
                .isEqualTo("school_year_out_of_range");
        assertThat(reason(received(ReportType.EXAM, examTemplate.formatted("1999-2000"), at)))
                .isEqualTo("school_year_out_of_range");
        assertThat(reason(received(ReportType.EXAM, examTemplate.formatted("2000-2001"), at))).isEqualTo("valid");
        // Without any time of receipt only the fixed lower bound applies.
        assertThat(reason(parse(ReportType.EXAM, examTemplate.formatted("1999-2000")))).isEqualTo("school_year_out_of_range");
        assertThat(reason(parse(ReportType.EXAM, examTemplate.formatted("2090-2091")))).isEqualTo("valid");
    }

    @Test
    void idsAreNormalisedToNfcAndInvisibleCharactersAreRefused() {
        String nfd = java.text.Normalizer.normalize("TRƯỜNG-01", java.text.Normalizer.Form.NFD);
        Parsed<Report> parsed = parse(ReportType.ATTENDANCE, "{\"schoolId\":\"" + nfd
                + "\",\"date\":\"2024-03-05\",\"enrolled\":5,\"present\":5}");
        assertThat(parsed.value().schoolId()).isEqualTo("TRƯỜNG-01").isNotEqualTo(nfd);

        for (String sneaky : List.of("HN\\u200B01", "HN\\u202E10", "HN\\u206601", "HN\\uFEFF01", "HN\\u000101", "HN\\u2028")) {
            Parsed<Report> refused = parse(ReportType.ATTENDANCE, "{\"schoolId\":\"" + sneaky
                    + "\",\"date\":\"2024-03-05\",\"enrolled\":5,\"present\":5}");
            assertThat(reason(refused)).as(sneaky).isEqualTo("invalid_text");
            assertThat(refused.violations().get(0).field()).isEqualTo("schoolId");
        }
    }

    @Test
    void referenceNamesAndMembersGetTheSameTreatment() {
        var school = io.schoolstats.reference.ReferenceParser.school(Json.MAPPER.createObjectNode()
                .put("schoolId", "S1").put("name", "Trường \u202Eabc").put("level", "PRIMARY").put("district", "001"));
        assertThat(school.violations()).extracting(v -> v.reason().code()).containsExactly("invalid_text");
        var cluster = io.schoolstats.reference.ReferenceParser.cluster(Json.MAPPER.createObjectNode()
                .put("clusterId", "C").put("name", "c").put("schoolYear", "2024-2025").put("scope", "district")
                .set("members", Json.MAPPER.createArrayNode().add("001").add("00\u200B1")));
        assertThat(cluster.violations()).extracting(v -> v.reason().code()).containsExactly("invalid_id");
        // A key not in NFC is refused, not normalised: compaction keys on the bytes, and an NFD
        // tombstone would delete the NFC row in the stream but not on the topic.
        String nfd = java.text.Normalizer.normalize("HÀ-01", java.text.Normalizer.Form.NFD);
        assertThat(nfd).isNotEqualTo("HÀ-01");
        assertThat(io.schoolstats.reference.ReferenceParser.deletion(nfd, false).violations())
                .extracting(v -> v.reason().code()).containsExactly("key_mismatch");
        assertThat(io.schoolstats.reference.ReferenceParser.province(nfd, ("{\"code\":\"" + nfd + "\",\"name\":\"x\"}")
                .getBytes(StandardCharsets.UTF_8)).violations()).extracting(v -> v.reason().code())
                .containsExactly("key_mismatch");
    }
}
