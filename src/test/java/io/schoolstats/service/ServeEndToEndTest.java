package io.schoolstats.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.schoolstats.testing.KafkaBroker;
import io.schoolstats.testing.KafkaBroker.Broker;
import io.schoolstats.testing.PrometheusText;
import io.schoolstats.testing.Reports;
import io.schoolstats.testing.RunningService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} against a real broker: reports and reference rows produced to the contract's
 * topics, then /metrics and the API read over HTTP, exact values asserted.
 */
@ExtendWith(KafkaBroker.class)
class ServeEndToEndTest {
    private static final String DAY = "2024-03-05";

    @Test
    void reportsBecomeExactMetricsAndApiAnswers(Broker broker, @TempDir Path state) throws Exception {
        String t = "E" + UUID.randomUUID().toString().substring(0, 6);
        String p = t + "-P";
        String d1 = t + "-D1";
        String d2 = t + "-D2";
        String c = t + "-C";
        try (Reports kafka = new Reports(broker.bootstrapServers());
             RunningService app = new RunningService(broker.bootstrapServers(), "e2e-" + t, state)) {
            kafka.province(p, "Tỉnh Thử Nghiệm")
                    .district(d1, "Quận Hoàng Mai thử", p).district(d2, "Huyện Đông Anh thử", p)
                    .school(t + "-S1", d1).school(t + "-S2", d1).school(t + "-S3", d2)
                    .cluster(c, "Cụm thi đua thử", "2023-2024", "district", d1, d1, d2);
            kafka.attendance(t + "-S1", DAY, 100, 90, 1)
                    .attendance(t + "-S1", DAY, 100, 95, 2)        // correction
                    .attendance(t + "-S1", DAY, 100, 10, 1)        // stale
                    .attendance(t + "-S2", DAY, 50, 40, 1)
                    .attendance(t + "-S2", DAY, 50, 40, 1)         // duplicate
                    .attendance(t + "-S3", DAY, 200, 150, 1)
                    .send("reports.attendance", t + "-S3", "{\"schoolId\":\"" + t + "-S3\",\"date\":\"" + DAY
                            + "\",\"enrolled\":200,\"present\":201}") // invalid
                    .send("reports.completion", t + "-S1", "{\"schoolId\":\"" + t + "-S1\",\"schoolYear\":\"2023-2024\","
                            + "\"level\":\"PRIMARY\",\"assessed\":80,\"completed\":78,\"conductGood\":70}")
                    .send("reports.exam", t + "-S3", "{\"schoolId\":\"" + t + "-S3\",\"schoolYear\":\"2023-2024\","
                            + "\"exam\":\"GRADE10_ENTRANCE\",\"candidates\":40,\"passed\":30,"
                            + "\"scoreBands\":[0,0,1,2,3,4,10,10,6,4],\"awards\":{\"first\":2,\"consolation\":1}}")
                    .flush();

            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                PrometheusText m = app.metrics();
                assertThat(m.value("schoolstats_attendance_present", "scope", "district", "code", d1)).contains(135.0);
                assertThat(m.value("schoolstats_attendance_present", "scope", "cluster", "code", c)).contains(285.0);
                assertThat(m.value("schoolstats_exam_passed", "scope", "cluster", "code", c)).contains(30.0);
            });

            // Today's series follow every 200 ms, the others at the next full refresh (2 s): wait for it.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                PrometheusText m = app.metrics();
                assertThat(m.value("schoolstats_attendance_enrolled", "scope", "district", "code", d1)).contains(150.0);
                assertThat(m.value("schoolstats_attendance_ratio", "scope", "district", "code", d1)).contains(0.9);
                assertThat(m.value("schoolstats_attendance_ratio", "scope", "district", "code", d2)).contains(0.75);
                assertThat(m.value("schoolstats_attendance_present", "scope", "province", "code", p,
                        "name", "Tỉnh Thử Nghiệm")).contains(285.0);
                assertThat(m.value("schoolstats_attendance_enrolled", "scope", "province", "code", p)).contains(350.0);
                assertThat(m.value("schoolstats_attendance_reporting_schools", "scope", "province", "code", p)).contains(3.0);
                assertThat(m.value("schoolstats_registered_schools", "scope", "district", "code", d1)).contains(2.0);
                assertThat(m.value("schoolstats_registered_schools", "scope", "cluster", "code", c)).contains(3.0);
                assertThat(m.value("schoolstats_attendance_school_year_ratio", "scope", "province", "code", p,
                        "school_year", "2023-2024")).contains(285.0 / 350.0);
                assertThat(m.value("schoolstats_completion_ratio", "scope", "district", "code", d1,
                        "school_year", "2023-2024", "level", "PRIMARY")).contains(78.0 / 80.0);
                assertThat(m.value("schoolstats_conduct_good_ratio", "scope", "province", "code", p,
                        "level", "PRIMARY")).contains(70.0 / 80.0);
                assertThat(m.value("schoolstats_exam_pass_ratio", "scope", "district", "code", d2,
                        "exam", "GRADE10_ENTRANCE")).contains(0.75);
                assertThat(m.value("schoolstats_exam_papers", "scope", "district", "code", d2, "band", "6-7")).contains(10.0);
                assertThat(m.value("schoolstats_exam_awards", "scope", "province", "code", p, "award", "first")).contains(2.0);
                assertThat(m.value("schoolstats_cluster_rank", "cluster", c, "code", d1, "indicator", "attendance_ratio",
                        "name", "Quận Hoàng Mai thử", "school_year", "2023-2024")).contains(1.0);
                assertThat(m.value("schoolstats_cluster_rank", "cluster", c, "code", d2, "indicator", "attendance_ratio"))
                        .contains(2.0);
                if (!broker.kind().equals("external cluster")) {
                    assertThat(m.value("schoolstats_reports_total", "type", "attendance", "outcome", "accepted")).contains(4.0);
                    assertThat(m.value("schoolstats_reports_total", "type", "attendance", "outcome", "duplicate")).contains(1.0);
                    assertThat(m.value("schoolstats_reports_total", "type", "attendance", "outcome", "stale")).contains(1.0);
                    assertThat(m.value("schoolstats_reports_total", "type", "attendance", "outcome", "rejected")).contains(1.0);
                }
                assertThat(m.find("kafka_stream_thread_process_total")).isNotEmpty();
                assertThat(m.find("jvm_memory_used_bytes")).isNotEmpty();
            });

            JsonNode district = app.json("/api/v1/stats/district/" + d1);
            assertThat(district.get("name").asText()).isEqualTo("Quận Hoàng Mai thử");
            assertThat(district.get("province").asText()).isEqualTo(p);
            assertThat(district.get("date").asText()).isEqualTo(DAY);
            assertThat(district.at("/attendance/present").asLong()).isEqualTo(135);
            assertThat(district.at("/attendance/enrolled").asLong()).isEqualTo(150);
            assertThat(district.at("/attendance/ratio").asDouble()).isEqualTo(0.9);
            assertThat(district.at("/attendance/reportingRatio").asDouble()).isEqualTo(1.0);
            assertThat(district.at("/completion/0/completed").asLong()).isEqualTo(78);
            JsonNode cluster = app.json("/api/v1/stats/cluster/" + c + "?schoolYear=2023-2024");
            assertThat(cluster.at("/exams/0/papers/9-10").asLong()).isEqualTo(4);
            assertThat(cluster.at("/exams/0/awards/consolation").asLong()).isEqualTo(1);
            assertThat(cluster.get("head").asText()).isEqualTo(d1);
            assertThat(app.get("/api/v1/stats/district/" + t + "-nowhere").statusCode()).isEqualTo(404);
            assertThat(app.get("/api/v1/stats/galaxy/x").statusCode()).isEqualTo(404);
            assertThat(app.get("/api/v1/stats/district/" + d1 + "?date=yesterday").statusCode()).isEqualTo(400);

            JsonNode ranking = app.json("/api/v1/clusters/" + c + "/ranking?schoolYear=2023-2024&indicator=attendance_ratio");
            assertThat(ranking.at("/indicators/0/ranking/0/code").asText()).isEqualTo(d1);
            assertThat(ranking.at("/indicators/0/ranking/0/head").asBoolean()).isTrue();
            assertThat(ranking.at("/indicators/0/ranking/1/rank").asInt()).isEqualTo(2);
            assertThat(app.get("/api/v1/clusters/" + t + "-none/ranking").statusCode()).isEqualTo(404);

            assertThat(app.json("/api/v1/schemas/exam").at("/properties/scoreBands/minItems").asInt()).isEqualTo(10);
            assertThat(app.get("/api/v1/schemas/weather").statusCode()).isEqualTo(404);
            assertThat(app.get("/health/live").statusCode()).isEqualTo(200);
            var noSecret = app.send("POST", "/api/v1/reports/attendance", "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    "Content-Type", "application/json");
            assertThat(noSecret.statusCode()).isEqualTo(503);
            assertThat(noSecret.body()).contains("SCHOOLSTATS_TOKEN_SECRET");
            assertThat(app.json("/health/ready").get("streams").asText()).isEqualTo("RUNNING");

            // The only school of D2 moves to D1: D2's series must go, not stay stale.
            kafka.school(t + "-S3", d1).flush();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                PrometheusText after = app.metrics();
                assertThat(after.value("schoolstats_attendance_present", "scope", "district", "code", d1)).contains(285.0);
                assertThat(after.find("schoolstats_attendance_present", "code", d2)).isEmpty();
                assertThat(after.find("schoolstats_registered_schools", "code", d2)).isEmpty();
                assertThat(after.find("schoolstats_exam_candidates", "code", d2)).isEmpty();
            });
            assertThat(app.metrics().value("schoolstats_attendance_present", "scope", "province", "code", p)).contains(285.0);
        }
    }
}
