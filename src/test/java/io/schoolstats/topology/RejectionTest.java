package io.schoolstats.topology;

import io.schoolstats.contract.Topics;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.schoolstats.reference.Scope;
import io.schoolstats.report.ReportType;
import io.schoolstats.topology.ReportOutcomes.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every invalid-input class of the contract goes to reports.rejected and changes no aggregate. */
class RejectionTest {
    private Harness h;

    @BeforeEach
    void start() {
        h = new Harness();
        h.province("01");
        h.district("001", "01");
        h.school("S1", "001");
        h.attendance("S1", "2024-03-05", 100, 90, 1);
        h.report(ReportType.COMPLETION, "{\"schoolId\":\"S1\",\"schoolYear\":\"2023-2024\",\"level\":\"PRIMARY\","
                + "\"assessed\":80,\"completed\":78}");
        h.report(ReportType.EXAM, "{\"schoolId\":\"S1\",\"schoolYear\":\"2023-2024\",\"exam\":\"THPT_GRADUATION\","
                + "\"candidates\":40,\"passed\":38}");
    }

    @AfterEach
    void stop() {
        h.close();
    }

    static Stream<Arguments> invalidReports() {
        return Stream.of(
                Arguments.of(ReportType.ATTENDANCE, "{\"schoolId\":\"S1\",\"date\":\"2024-03-05\",", "malformed_json"),
                Arguments.of(ReportType.ATTENDANCE, "not json at all", "malformed_json"),
                Arguments.of(ReportType.ATTENDANCE, "{\"schoolId\":\"S1\",\"schoolId\":\"S2\",\"date\":\"2024-03-05\","
                        + "\"enrolled\":1,\"present\":1}", "malformed_json"),
                Arguments.of(ReportType.ATTENDANCE, "[1,2,3]", "not_an_object"),
                Arguments.of(ReportType.ATTENDANCE, "{\"schoolId\":\"S1\",\"date\":\"2024-03-05\",\"enrolled\":100}",
                        "missing_field"),
                Arguments.of(ReportType.ATTENDANCE, "{\"date\":\"2024-03-05\",\"enrolled\":100,\"present\":1}",
                        "missing_field"),
                Arguments.of(ReportType.ATTENDANCE, "{\"schoolId\":\"S1\",\"date\":\"2024-03-05\",\"enrolled\":\"100\","
                        + "\"present\":1}", "wrong_type"),
                Arguments.of(ReportType.ATTENDANCE, "{\"schoolId\":\"S1\",\"date\":\"2024-03-05\",\"enrolled\":100.5,"
                        + "\"present\":1}", "wrong_type"),
                Arguments.of(ReportType.ATTENDANCE, "{\"schoolId\":42,\"date\":\"2024-03-05\",\"enrolled\":100,"
                        + "\"present\":1}", "wrong_type"),
                Arguments.of(ReportType.ATTENDANCE, "{\"schoolId\":\"S1\",\"date\":\"2024-03-05\",\"enrolled\":100,"
                        + "\"present\":-1}", "negative_count"),
                Arguments.of(ReportType.ATTENDANCE, "{\"schoolId\":\"S1\",\"date\":\"2024-03-05\",\"enrolled\":100,"
                        + "\"present\":101}", "present_exceeds_enrolled"),
                Arguments.of(ReportType.ATTENDANCE, "{\"schoolId\":\"S1\",\"date\":\"2024-03-05\",\"enrolled\":3000000000,"
                        + "\"present\":1}", "too_large"),
                Arguments.of(ReportType.EXAM, "{\"schoolId\":\"S1\",\"schoolYear\":\"2023-2024\",\"exam\":\"THPT_GRADUATION\","
                        + "\"candidates\":40,\"passed\":1,\"awards\":{\"first\":4611686018427387904,"
                        + "\"second\":4611686018427387904}}", "too_large"),
                Arguments.of(ReportType.ATTENDANCE, "{\"schoolId\":\"S1\",\"date\":\"2024-02-30\",\"enrolled\":100,"
                        + "\"present\":1}", "invalid_date"),
                Arguments.of(ReportType.ATTENDANCE, "{\"schoolId\":\"S1\",\"date\":\"05/03/2024\",\"enrolled\":100,"
                        + "\"present\":1}", "invalid_date"),
                Arguments.of(ReportType.ATTENDANCE, "{\"schoolId\":\"S1\",\"date\":\"2024-03-05\",\"enrolled\":100,"
                        + "\"present\":1,\"revision\":0}", "invalid_revision"),
                Arguments.of(ReportType.ATTENDANCE, "{\"schoolId\":\"S1\",\"date\":\"2024-03-05\",\"enrolled\":100,"
                        + "\"present\":1,\"submittedAt\":\"2024-03-05T07:00:00\"}", "invalid_submitted_at"),
                Arguments.of(ReportType.COMPLETION, "{\"schoolId\":\"S1\",\"schoolYear\":\"2023-2025\",\"level\":\"PRIMARY\","
                        + "\"assessed\":80,\"completed\":1}", "invalid_school_year"),
                Arguments.of(ReportType.COMPLETION, "{\"schoolId\":\"S1\",\"schoolYear\":\"2023-2024\",\"level\":\"COLLEGE\","
                        + "\"assessed\":80,\"completed\":1}", "invalid_level"),
                Arguments.of(ReportType.COMPLETION, "{\"schoolId\":\"S1\",\"schoolYear\":\"2023-2024\",\"level\":\"PRIMARY\","
                        + "\"assessed\":80,\"completed\":81}", "completed_exceeds_assessed"),
                Arguments.of(ReportType.COMPLETION, "{\"schoolId\":\"S1\",\"schoolYear\":\"2023-2024\",\"level\":\"PRIMARY\","
                        + "\"assessed\":80,\"completed\":1,\"conductGood\":81}", "conduct_good_exceeds_assessed"),
                Arguments.of(ReportType.EXAM, "{\"schoolId\":\"S1\",\"schoolYear\":\"2023-2024\",\"exam\":\"THPT_GRADUATION\","
                        + "\"candidates\":40,\"passed\":41}", "passed_exceeds_candidates"),
                Arguments.of(ReportType.EXAM, "{\"schoolId\":\"S1\",\"schoolYear\":\"2023-2024\",\"exam\":\"THPT_GRADUATION\","
                        + "\"candidates\":4,\"passed\":1,\"awards\":{\"first\":2,\"second\":2,\"third\":1}}",
                        "awards_exceed_candidates"),
                Arguments.of(ReportType.EXAM, "{\"schoolId\":\"S1\",\"schoolYear\":\"2023-2024\",\"exam\":\"THPT_GRADUATION\","
                        + "\"candidates\":40,\"passed\":1,\"scoreBands\":[1,2,3]}", "score_bands_length"),
                Arguments.of(ReportType.EXAM, "{\"schoolId\":\"S1\",\"schoolYear\":\"2023-2024\",\"exam\":\"thpt\","
                        + "\"candidates\":40,\"passed\":1}", "invalid_exam_code"),
                Arguments.of(ReportType.EXAM, "{\"schoolId\":\"S1\",\"schoolYear\":\"2023-2024\",\"exam\":\"THPT_GRADUATION\","
                        + "\"candidates\":40,\"passed\":1,\"scoreBands\":[1,2,3,4,5,6,7,8,9,-1]}", "negative_count"));
    }

    @Test
    void reportsBeyondTheBoundsOfTimeAreRejectedAndChangeNothing() {
        var before = List.of(h.all(Scope.DISTRICT), h.all(Scope.PROVINCE), h.all(Scope.CLUSTER));
        var dayBefore = h.query().currentDay();
        h.report(ReportType.ATTENDANCE, "{\"schoolId\":\"S1\",\"date\":\"9999-12-31\",\"enrolled\":100,\"present\":1}");
        h.report(ReportType.EXAM, "{\"schoolId\":\"S1\",\"schoolYear\":\"2090-2091\",\"exam\":\"THPT_GRADUATION\","
                + "\"candidates\":40,\"passed\":1}");
        h.report(ReportType.COMPLETION, "{\"schoolId\":\"S1\",\"schoolYear\":\"1999-2000\",\"level\":\"PRIMARY\","
                + "\"assessed\":80,\"completed\":1}");
        // Judged by the record's Kafka timestamp, so a replay judges it the same: received on 6 March
        // (Hanoi), the 7th is allowed, the 8th is not; a school clock a week ahead is not believed.
        h.receivedAt = java.time.Instant.parse("2024-03-06T01:00:00Z");
        h.report(ReportType.ATTENDANCE, "{\"schoolId\":\"S1\",\"date\":\"2024-03-08\",\"enrolled\":100,\"present\":1}");
        h.report(ReportType.ATTENDANCE, "{\"schoolId\":\"S1\",\"date\":\"2024-03-12\",\"enrolled\":100,\"present\":1,"
                + "\"submittedAt\":\"2024-03-12T07:00:00+07:00\"}");

        assertThat(h.rejected()).extracting(n -> n.get("reason").asText()).containsExactly("date_in_future",
                "school_year_out_of_range", "school_year_out_of_range", "date_in_future", "submitted_at_in_future");
        assertThat(List.of(h.all(Scope.DISTRICT), h.all(Scope.PROVINCE), h.all(Scope.CLUSTER))).isEqualTo(before);
        assertThat(h.query().currentDay()).isEqualTo(dayBefore);

        h.report(ReportType.ATTENDANCE, "{\"schoolId\":\"S1\",\"date\":\"2024-03-07\",\"enrolled\":100,\"present\":1}");
        assertThat(h.rejected()).isEmpty();
        assertThat(h.outcomes.get(ReportType.ATTENDANCE, Outcome.ACCEPTED)).isEqualTo(2);
    }

    @ParameterizedTest(name = "{2}: {1}")
    @MethodSource("invalidReports")
    void invalidReportIsRejectedAndChangesNothing(ReportType type, String json, String reason) {
        var before = List.of(h.all(Scope.DISTRICT), h.all(Scope.PROVINCE), h.all(Scope.CLUSTER));

        h.report(type, "original-key", json);

        List<JsonNode> rejected = h.rejected();
        assertThat(rejected).hasSize(1);
        JsonNode envelope = rejected.get(0);
        assertThat(envelope.get("reason").asText()).isEqualTo(reason);
        assertThat(envelope.get("message").asText()).isNotBlank();
        assertThat(envelope.get("sourceTopic").asText()).isEqualTo(type.topic());
        assertThat(envelope.get("partition").asInt()).isEqualTo(0);
        assertThat(envelope.get("offset").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(envelope.get("key").asText()).isEqualTo("original-key");
        assertThat(envelope.get("value").asText()).isEqualTo(json);
        assertThat(envelope.has("valueBase64")).isFalse();
        assertThat(envelope.get("valueBytes").asInt()).isEqualTo(json.getBytes(StandardCharsets.UTF_8).length);
        assertThat(envelope.get("valueTruncated").asBoolean()).isFalse();
        assertThat(List.of(h.all(Scope.DISTRICT), h.all(Scope.PROVINCE), h.all(Scope.CLUSTER))).isEqualTo(before);
        assertThat(h.outcomes.get(type, Outcome.REJECTED)).isEqualTo(1);
    }

    @Test
    void bytesThatAreNotUtf8AreRejectedWithTheirOriginalBytes() {
        byte[] garbage = {(byte) 0xff, (byte) 0xfe, 0x00, 0x7b};
        h.rawReport(ReportType.ATTENDANCE, garbage);

        JsonNode envelope = h.rejected().get(0);
        assertThat(envelope.get("reason").asText()).isEqualTo("malformed_json");
        assertThat(Base64.getDecoder().decode(envelope.get("valueBase64").asText())).isEqualTo(garbage);
        assertThat(envelope.has("value")).isFalse();
    }

    @Test
    void aHugeRecordGivesASmallEnvelopeWithItsLengthAndDigest() throws Exception {
        // About 900 KB of garbage in Vietnamese text: quoted by its first 16 KB only, cut between characters.
        String huge = "{\"schoolId\":\"" + "Trường ".repeat(100_000);
        byte[] bytes = huge.getBytes(StandardCharsets.UTF_8);
        h.rawReport(ReportType.ATTENDANCE, bytes);

        List<byte[]> raw = h.rejectedBytes();
        assertThat(raw).hasSize(1);
        assertThat(raw.get(0).length).isLessThan(40_000);
        JsonNode envelope = io.schoolstats.report.Json.MAPPER.readTree(raw.get(0));
        assertThat(envelope.get("reason").asText()).isEqualTo("malformed_json");
        assertThat(envelope.get("valueBytes").asInt()).isEqualTo(bytes.length);
        assertThat(envelope.get("valueTruncated").asBoolean()).isTrue();
        assertThat(envelope.get("valueSha256").asText()).isEqualTo(java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(bytes)));
        assertThat(huge).startsWith(envelope.get("value").asText());
        assertThat(envelope.get("value").asText().getBytes(StandardCharsets.UTF_8).length)
                .isBetween(Rejections.VALUE_PREFIX_BYTES - 3, Rejections.VALUE_PREFIX_BYTES);
        assertThat(envelope.get("message").asText().length()).isLessThan(1_000);
    }

    @Test
    void emptyRecordIsRejected() {
        h.rawReport(ReportType.EXAM, null);
        assertThat(h.rejected()).extracting(n -> n.get("reason").asText()).containsExactly("malformed_json");
    }

    @Test
    void invalidReferenceRowsAreRejectedToo() {
        h.reference(Topics.SCHOOLS, "S5", "{\"schoolId\":\"S6\",\"name\":\"x\",\"level\":\"PRIMARY\",\"district\":\"001\"}");
        h.reference(Topics.DISTRICTS, "009", "{\"code\":\"009\"}");
        h.reference(Topics.CLUSTERS, "C|2023-2024", "{\"clusterId\":\"C\",\"name\":\"c\",\"schoolYear\":\"2023-2024\","
                + "\"scope\":\"galaxy\",\"members\":[\"001\"]}");
        h.reference(Topics.PROVINCES, "99", "{\"code\":\"99\",\"name\":\"" + "x".repeat(501) + "\"}");

        h.reference(Topics.CLUSTERS, "C|2023-2024", "{\"clusterId\":\"C\",\"name\":\"c\",\"schoolYear\":\"2023-2024\","
                + "\"scope\":\"district\",\"members\":[\"001\",\"00\\u200b1\\u0007\"]}");
        h.reference(Topics.SCHOOLS, "S7", "{\"schoolId\":\"S7\",\"name\":\"x\",\"level\":\"PRIMARY\",\"district\":\"001\","
                + "\"province\":\"01\"}");
        h.reference(Topics.CLUSTERS, "HN-C1", null);          // a cluster's deletion must name its school year
        h.reference(Topics.DISTRICTS, "001|2025", null);      // not a school year
        h.reference(Topics.SCHOOLS, "S1|2025-2026", null);    // a valid deletion of a row that is not there

        assertThat(h.rejected()).extracting(n -> n.get("reason").asText())
                .containsExactly("key_mismatch", "missing_field", "invalid_scope", "too_long", "invalid_id",
                        "conflicting_fields", "key_mismatch", "key_mismatch");
        assertThat(h.stats(Scope.DISTRICT, "001", "registered")).containsExactly(1);
    }

    @Test
    void unknownFieldsAreIgnored() {
        h.report(ReportType.ATTENDANCE, "{\"schoolId\":\"S1\",\"date\":\"2024-03-06\",\"enrolled\":10,\"present\":5,"
                + "\"weather\":\"rain\",\"teacher\":{\"name\":\"Cô Lan\"}}");
        assertThat(h.rejected()).isEmpty();
        assertThat(h.stats(Scope.DISTRICT, "001", "attendance_day:2024-03-06")).containsExactly(5, 10, 1, 0);
    }
}
