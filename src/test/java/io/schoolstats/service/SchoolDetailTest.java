package io.schoolstats.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.schoolstats.auth.TokenKeys;
import io.schoolstats.auth.Tokens;
import io.schoolstats.report.Json;
import io.schoolstats.reference.Scope;
import io.schoolstats.testing.KafkaBroker;
import io.schoolstats.testing.KafkaBroker.Broker;
import io.schoolstats.testing.PrometheusText;
import io.schoolstats.testing.Reports;
import io.schoolstats.testing.RunningService;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who has not reported and who reported late (issue 13), on the real broker with two instances:
 * schools that never report, report late, correct a late report or an on-time one, and a school
 * that moves to another district for the school year; the lists and the on-time counts exact on
 * either instance, whichever owns the unit and the schools; a unit's token refused outside its unit.
 */
@ExtendWith(KafkaBroker.class)
class SchoolDetailTest {
    private static final String T = "W" + UUID.randomUUID().toString().substring(0, 5);
    private static final String P = T + "-P";
    private static final String D1 = T + "-D1";
    private static final String D2 = T + "-D2";
    private static final String C = T + "-C";
    private static final String YEAR = "2025-2026";
    private static final String DAY = "2025-10-06";
    private static final TokenKeys KEYS = TokenKeys.parse("k1:a-test-secret-that-is-long-enough-for-hs256", "test");
    private static final Tokens TOKENS = new Tokens(KEYS);

    private static String bearer(Tokens.Issued issued) {
        return "Bearer " + issued.token();
    }

    private static void attendance(Reports reports, String school, int present, int revision, String time) {
        reports.send("reports.attendance", school, String.format("{\"schoolId\":\"%s\",\"date\":\"%s\",\"enrolled\":100,"
                + "\"present\":%d,\"revision\":%d,\"submittedAt\":\"%sT%s+07:00\"}", school, DAY, present, revision, DAY, time));
    }

    @Test
    void missingAndLateSchoolsAndOnTimeCountsAreExactOnEitherInstanceForTheUnitsOwnOffice(Broker broker,
                                                                                      @TempDir Path a, @TempDir Path b)
            throws Exception {
        String app = "detail-" + T;
        StatsService.Ingestion ingestion = new StatsService.Ingestion(KEYS, 64 * 1024, Duration.ofSeconds(5));
        RunningService one = new RunningService(broker.bootstrapServers(), app, a, ingestion, 0);
        try (one; Reports reports = new Reports(broker.bootstrapServers())) {
            reports.province(P, "Tỉnh " + P);
            reports.district(D1, "Xã Một", P);
            reports.district(D2, "Xã Hai", P);
            reports.cluster(C, "Cụm " + T, YEAR, "district", D1, D1, D2);
            for (int s = 1; s <= 5; s++) {
                reports.school(T + "-S" + s, s <= 3 ? D1 : D2);
            }
            String s1 = T + "-S1", s2 = T + "-S2", s3 = T + "-S3", s4 = T + "-S4", s5 = T + "-S5";
            attendance(reports, s1, 90, 1, "08:00:00");                 // on time
            attendance(reports, s2, 80, 1, "09:30:00");                 // late
            attendance(reports, s2, 81, 2, "12:00:00");                 // its correction: still late
            attendance(reports, s3, 70, 1, "08:30:00");                 // on time
            attendance(reports, s3, 71, 2, "15:00:00");                 // its correction keeps it on time
            attendance(reports, s5, 60, 1, "10:00:00");                 // late; S4 never reports
            // S3 belongs to D2 for this school year: it takes its report and its timeliness along.
            reports.send("reference.schools", s3 + "|" + YEAR, "{\"schoolId\":\"" + s3 + "\",\"name\":\"Trường " + s3
                    + "\",\"level\":\"PRIMARY\",\"district\":\"" + D2 + "\",\"schoolYear\":\"" + YEAR + "\"}");
            reports.flush();
            RunningService two = new RunningService(broker.bootstrapServers(), app, b, ingestion, 0);
            try (two) {
                String operator = bearer(TOKENS.issueForOperator(Duration.ofDays(1)));
                String d1Office = bearer(TOKENS.issueForUnit(Scope.DISTRICT, D1, Duration.ofDays(1)));
                String query = "?type=attendance&date=" + DAY;
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .untilAsserted(() -> {
                            for (RunningService instance : List.of(one, two)) {
                                assertThat(schools(instance, "district/" + D1 + "/missing" + query, operator)).isEmpty();
                                assertThat(schools(instance, "district/" + D1 + "/late" + query, d1Office)).containsExactly(s2);
                                assertThat(schools(instance, "district/" + D2 + "/missing" + query, operator)).containsExactly(s4);
                                assertThat(schools(instance, "district/" + D2 + "/late" + query, operator)).containsExactly(s5);
                                assertThat(schools(instance, "province/" + P + "/missing" + query, operator)).containsExactly(s4);
                                assertThat(schools(instance, "province/" + P + "/late" + query, operator))
                                        .containsExactly(s2, s5);
                                assertThat(schools(instance, "cluster/" + C + "/missing" + query, operator)).containsExactly(s4);
                                assertThat(schools(instance, "cluster/" + C + "/late" + query, operator))
                                        .containsExactly(s2, s5);
                            }
                        });
                JsonNode province = body(one.send("GET", "/api/v1/stats/province/" + P + "/missing" + query, new byte[0],
                        "Authorization", operator));
                assertThat(province.path("registeredSchools").asLong()).isEqualTo(5);
                assertThat(province.path("reportingSchools").asLong()).isEqualTo(4);
                assertThat(province.path("onTimeSchools").asLong()).isEqualTo(2);
                assertThat(province.at("/schools/0/name").asText()).isEqualTo("Trường " + s4);

                // The same on-time counts in the statistics and on /metrics (the one day is the current day).
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    for (String[] unit : new String[][] {{"district", D1, "1", "2"}, {"district", D2, "1", "2"},
                        {"province", P, "2", "4"}, {"cluster", C, "2", "4"}}) {
                        JsonNode view = Json.MAPPER.readTree(one.get("/api/v1/stats/" + unit[0] + "/" + unit[1]
                                + "?date=" + DAY).body());
                        assertThat(view.at("/attendance/onTimeSchools").asLong()).as(unit[1]).isEqualTo(Long.parseLong(unit[2]));
                        assertThat(view.at("/attendance/reportingSchools").asLong()).as(unit[1])
                                .isEqualTo(Long.parseLong(unit[3]));
                        List<Double> series = new ArrayList<>();
                        for (RunningService instance : List.of(one, two)) {
                            for (PrometheusText.Sample sample : instance.metrics().find("schoolstats_attendance_on_time_schools")) {
                                if (unit[1].equals(sample.labels().get("code"))) {
                                    series.add(sample.value());
                                }
                            }
                        }
                        assertThat(series).as("one series for " + unit[1]).containsExactly(Double.parseDouble(unit[2]));
                    }
                });

                // The cluster's evaluators score through either instance: the one that does not hold
                // the cluster asks the other for its scheme and members before writing (issue 14).
                reports.send("reference.emulation-schemes", C + "|" + YEAR, "{\"clusterId\":\"" + C
                        + "\",\"schoolYear\":\"" + YEAR + "\",\"name\":\"Bảng điểm\",\"criteria\":["
                        + "{\"id\":\"F01\",\"name\":\"Dạy và học\",\"maxPoints\":100}]}");
                reports.flush();
                String evaluator = bearer(TOKENS.issueForEvaluator(C, Duration.ofDays(1)));
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                        one.get("/api/v1/clusters/" + C + "/emulation?schoolYear=" + YEAR).statusCode() == 200);
                int member = 0;
                for (RunningService instance : List.of(one, two)) {
                    String code = member++ == 0 ? D1 : D2;
                    java.net.http.HttpResponse<String> bad = instance.send("POST", "/api/v1/reports/emulation_score",
                            score(C, code, "F02", "10").getBytes(java.nio.charset.StandardCharsets.UTF_8),
                            "Authorization", evaluator, "Content-Type", "application/json");
                    assertThat(bad.statusCode()).as(bad.body()).isEqualTo(400);
                    assertThat(bad.body()).contains("unknown_criterion");
                    java.net.http.HttpResponse<String> good = instance.send("POST", "/api/v1/reports/emulation_score",
                            score(C, code, "F01", code.equals(D1) ? "80.5" : "90").getBytes(
                                    java.nio.charset.StandardCharsets.UTF_8),
                            "Authorization", evaluator, "Content-Type", "application/json");
                    assertThat(good.statusCode()).as(good.body()).isEqualTo(202);
                }
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    for (RunningService instance : List.of(one, two)) {
                        JsonNode table = Json.MAPPER.readTree(instance.get("/api/v1/clusters/" + C
                                + "/emulation?schoolYear=" + YEAR).body());
                        assertThat(table.path("members").findValuesAsText("code")).containsExactly(D2, D1);
                        assertThat(table.path("members").findValuesAsText("total")).containsExactly("90.0", "80.5");
                    }
                });

                // Per-school detail is for the unit's own office: refused without a token, to a
                // school, and to another unit's office, even the province above.
                String path = "/api/v1/stats/district/" + D2 + "/missing" + query;
                assertThat(one.get(path).statusCode()).isEqualTo(401);
                assertThat(one.get(path).headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
                assertThat(one.send("GET", path, new byte[0], "Authorization", d1Office).statusCode()).isEqualTo(403);
                assertThat(one.send("GET", "/api/v1/stats/province/" + P + "/missing" + query, new byte[0],
                        "Authorization", d1Office).statusCode()).isEqualTo(403);
                assertThat(one.send("GET", path, new byte[0], "Authorization",
                        bearer(TOKENS.issueForSchool(s4, Duration.ofDays(1)))).statusCode()).isEqualTo(403);
                String provinceOffice = bearer(TOKENS.issueForUnit(Scope.PROVINCE, P, Duration.ofDays(1)));
                assertThat(one.send("GET", path, new byte[0], "Authorization", provinceOffice).statusCode()).isEqualTo(403);
                // The internal call that lists an instance's schools is checked as strictly, and
                // answers only a request another instance signed: an office with a valid token of
                // its own cannot name another unit's schools there.
                byte[] otherUnits = ("{\"schoolYear\":\"2025-2026\",\"type\":\"attendance\",\"date\":\"2025-10-06\","
                        + "\"parents\":[\"local:" + D2 + "\"]}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                for (RunningService instance : List.of(one, two)) {
                    assertThat(instance.send("POST", "/internal/v1/schools?scope=district&code=" + D1, otherUnits,
                            "Content-Type", "application/json").statusCode()).isEqualTo(401);
                    HttpResponse<String> forged = instance.send("POST", "/internal/v1/schools?scope=district&code=" + D1,
                            otherUnits, "Content-Type", "application/json", "Authorization", d1Office,
                            "X-Schoolstats-Grant", "not-a-grant");
                    assertThat(forged.statusCode()).as(forged.body()).isEqualTo(403);
                }
            }
        }
    }

    private static List<String> schools(RunningService instance, String path, String authorization) throws Exception {
        HttpResponse<String> answer = instance.send("GET", "/api/v1/stats/" + path, new byte[0], "Authorization",
                authorization);
        assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        body(answer).path("schools").forEach(s -> ids.add(s.path("schoolId").asText()));
        return ids;
    }

    private static JsonNode body(HttpResponse<String> answer) throws Exception {
        return Json.MAPPER.readTree(answer.body());
    }

    private static String score(String cluster, String member, String criterion, String points) {
        return "{\"clusterId\":\"" + cluster + "\",\"schoolYear\":\"" + YEAR + "\",\"member\":\"" + member
                + "\",\"criterion\":\"" + criterion + "\",\"points\":" + points + "}";
    }
}
