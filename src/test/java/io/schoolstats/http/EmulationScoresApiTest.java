package io.schoolstats.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.schoolstats.auth.TokenKeys;
import io.schoolstats.auth.Tokens;
import io.schoolstats.reference.Scope;
import io.schoolstats.report.Json;
import io.schoolstats.service.StatsService;
import io.schoolstats.testing.KafkaBroker;
import io.schoolstats.testing.KafkaBroker.Broker;
import io.schoolstats.testing.PrometheusText;
import io.schoolstats.testing.RunningService;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Evaluators scoring their cluster over HTTP (issue 14), on the real service and broker: a scheme
 * loaded with PUT, scores with the cluster's evaluator token (JSON and CSV), every refusal all or
 * nothing and named, and the league moving on the API and on /metrics.
 */
@ExtendWith(KafkaBroker.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmulationScoresApiTest {
    private static final TokenKeys KEYS = TokenKeys.parse("k1:a-test-secret-that-is-long-enough-for-hs256",
            "the test's keys");
    private static final Tokens TOKENS = new Tokens(KEYS);
    private static final String T = "E" + UUID.randomUUID().toString().substring(0, 5);
    private static final String P = T + "-P";
    private static final String D1 = T + "-D1";
    private static final String D2 = T + "-D2";
    private static final String D3 = T + "-D3";
    private static final String K = T + "-K";
    private static final String Y = "2024-2025";
    private static final String OPERATOR = TOKENS.issueForOperator(Duration.ofDays(1)).token();
    private static final String EVALUATOR = TOKENS.issueForEvaluator(K, Duration.ofDays(1)).token();
    private static RunningService app;

    @BeforeAll
    static void start(Broker broker, @TempDir Path state) {
        app = new RunningService(broker.bootstrapServers(), "scores-" + T, state,
                new StatsService.Ingestion(KEYS, 64 * 1024, Duration.ofSeconds(3)));
        put("provinces", "[{\"code\":\"" + P + "\",\"name\":\"Tỉnh Thi Đua\"}]");
        put("districts", "[{\"code\":\"" + D1 + "\",\"name\":\"Quận Một\",\"province\":\"" + P + "\"},"
                + "{\"code\":\"" + D2 + "\",\"name\":\"Quận Hai\",\"province\":\"" + P + "\"},"
                + "{\"code\":\"" + D3 + "\",\"name\":\"Quận Ba\",\"province\":\"" + P + "\"}]");
        put("clusters", "[{\"clusterId\":\"" + K + "\",\"name\":\"Cụm Thi Đua\",\"schoolYear\":\"" + Y
                + "\",\"scope\":\"district\",\"members\":[\"" + D1 + "\",\"" + D2 + "\"]}]");
        put("emulation-schemes", "[{\"clusterId\":\"" + K + "\",\"schoolYear\":\"" + Y + "\",\"name\":\"Bảng điểm\","
                + "\"flag\":{\"top\":1},\"criteria\":["
                + "{\"id\":\"F01\",\"name\":\"Công tác dạy và học\",\"maxPoints\":200},"
                + "{\"id\":\"F02\",\"name\":\"Công tác tổ chức\",\"maxPoints\":100},"
                + "{\"id\":\"F03\",\"name\":\"Chuyên cần\",\"maxPoints\":100,\"indicator\":\"attendance_ratio\","
                + "\"rule\":{\"type\":\"linear\",\"from\":0.8,\"to\":1.0}}]}]");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                app.get("/api/v1/clusters/" + K + "/emulation?schoolYear=" + Y).statusCode() == 200);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    private static String score(String member, String criterion, String points, int revision) {
        return "{\"clusterId\":\"" + K + "\",\"schoolYear\":\"" + Y + "\",\"member\":\"" + member
                + "\",\"criterion\":\"" + criterion + "\",\"points\":" + points + ",\"revision\":" + revision + "}";
    }

    private static HttpResponse<String> post(String type, String token, String contentType, String body) {
        return app.send("POST", "/api/v1/reports/" + type, body.getBytes(StandardCharsets.UTF_8),
                "Content-Type", contentType, "Authorization", "Bearer " + token);
    }

    private static void put(String kind, String json) {
        HttpResponse<String> r = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() ->
                app.send("PUT", "/api/v1/reference/" + kind, json.getBytes(StandardCharsets.UTF_8),
                        "Authorization", "Bearer " + OPERATOR, "Content-Type", "application/json"),
                response -> response.statusCode() != 503);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    private static JsonNode member(String code) {
        for (JsonNode m : app.json("/api/v1/clusters/" + K + "/emulation?schoolYear=" + Y).path("members")) {
            if (m.path("code").asText().equals(code)) {
                return m;
            }
        }
        throw new AssertionError("no member " + code);
    }

    @Test
    @Order(1)
    void theClustersEvaluatorsScoreItsMembersInJsonAndCsvAndTheLeagueMoves() {
        HttpResponse<String> json = post("emulation_score", EVALUATOR, "application/json", "["
                + score(D1, "F01", "180.5", 1) + "," + score(D2, "F01", "190", 1) + "," + score(D1, "F02", "90", 1) + "]");
        assertThat(json.statusCode()).as(json.body()).isEqualTo(202);
        assertThat(json.body()).isEqualTo("{\"accepted\":3}");
        HttpResponse<String> csv = post("emulation_score", EVALUATOR, "text/csv",
                "clusterId,schoolYear,member,criterion,points,revision\n" + K + "," + Y + "," + D2 + ",F02,75.25,1\n"
                        + K + "," + Y + "," + D1 + ",F01,185,2\n");
        assertThat(csv.statusCode()).as(csv.body()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(member(D1).path("total").asDouble()).isEqualTo(275.0);
            assertThat(member(D2).path("total").asDouble()).isEqualTo(265.25);
            assertThat(member(D1).path("rank").asInt()).isEqualTo(1);
            assertThat(member(D1).path("proposed").asBoolean()).isTrue();
            PrometheusText m = app.metrics();
            assertThat(m.value("schoolstats_emulation_points", "code", D2, "cluster", K, "criterion", "F02"))
                    .contains(75.25);
            assertThat(m.value("schoolstats_emulation_rank", "code", D2, "cluster", K)).contains(2.0);
            assertThat(m.value("schoolstats_reports_total", "type", "emulation_score", "outcome", "accepted"))
                    .contains(5.0);
        });
        assertThat(app.get("/api/v1/schemas/emulation_score").statusCode()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void aScoreTheSchemeDoesNotAdmitRefusesTheWholeRequestWithItsReason() throws Exception {
        HttpResponse<String> r = post("emulation_score", EVALUATOR, "application/json", "["
                + score(D1, "F01", "1", 3) + ","                      // valid: written only if all are
                + score(D1, "F01", "200.01", 4) + ","
                + score(D1, "NOPE", "1", 1) + ","
                + score(D1, "F03", "1", 1) + ","
                + score(D3, "F01", "1", 1) + ","
                + score(D1, "F01", "1.005", 5) + ","
                + score(D1, "F01", "1", 5).replace(Y, "2023-2024") + ","
                + score(D1, "F01", "1e400", 6) + "]");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode errors = Json.MAPPER.readTree(r.body()).path("errors");
        assertThat(errors.findValuesAsText("reason")).containsExactly("points_over_maximum", "unknown_criterion",
                "computed_criterion", "not_a_member", "invalid_points", "no_scheme", "invalid_points");
        assertThat(errors.findValuesAsText("index")).containsExactly("1", "2", "3", "4", "5", "6", "7");
        HttpResponse<String> vi = app.send("POST", "/api/v1/reports/emulation_score",
                score(D3, "F01", "1", 1).getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json",
                "Authorization", "Bearer " + EVALUATOR, "Accept-Language", "vi");
        assertThat(vi.body()).contains("không phải thành viên của cụm thi đua");
        // Nothing of the refused request was written: revision 3's 1 point never shows. A re-sent
        // score on the same cluster key (same partition, read after anything written before it)
        // shows as a duplicate; once it does, the refused request would have shown too.
        assertThat(post("emulation_score", EVALUATOR, "application/json", score(D2, "F01", "190", 1)).statusCode())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(app.metrics().value("schoolstats_reports_total", "type", "emulation_score",
                        "outcome", "duplicate")).contains(1.0));
        assertThat(member(D1).path("total").asDouble()).isEqualTo(275.0);
    }

    @Test
    @Order(3)
    void onlyTheClustersEvaluatorsOrAnOperatorMayScore() {
        String other = TOKENS.issueForEvaluator(T + "-OTHER", Duration.ofDays(1)).token();
        String school = TOKENS.issueForSchool(T + "-S", Duration.ofDays(1)).token();
        String office = TOKENS.issueForUnit(Scope.CLUSTER, K, Duration.ofDays(1)).token();
        assertThat(post("emulation_score", other, "application/json", score(D1, "F01", "1", 9)).statusCode())
                .isEqualTo(403);
        assertThat(post("emulation_score", school, "application/json", score(D1, "F01", "1", 9)).statusCode())
                .isEqualTo(403);
        assertThat(post("emulation_score", office, "application/json", score(D1, "F01", "1", 9)).statusCode())
                .isEqualTo(403);
        HttpResponse<String> attendance = post("attendance", EVALUATOR, "application/json",
                "{\"schoolId\":\"X\",\"date\":\"2024-10-07\",\"enrolled\":1,\"present\":1}");
        assertThat(attendance.statusCode()).isEqualTo(403);
        assertThat(attendance.body()).contains("emulation scores only");
        HttpResponse<String> byOperator = post("emulation_score", OPERATOR, "application/json", score(D2, "F02", "80", 2));
        assertThat(byOperator.statusCode()).as(byOperator.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(member(D2).path("total").asDouble()).isEqualTo(270.0));
    }

    @Test
    @Order(4)
    void anOperatorDeletesTheSchemeAndTheTableGoes() {
        HttpResponse<String> r = app.send("DELETE", "/api/v1/reference/emulation-schemes/" + K + "?schoolYear=" + Y,
                new byte[0], "Authorization", "Bearer " + OPERATOR);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                app.get("/api/v1/clusters/" + K + "/emulation?schoolYear=" + Y).statusCode() == 404);
        assertThat(post("emulation_score", EVALUATOR, "application/json", score(D1, "F01", "1", 9)).body())
                .contains("no_scheme");
    }
}
