package io.schoolstats.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.schoolstats.contract.Topics;
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
 * The 2025 reform on a real broker, through the contract's topics, /metrics and the API: reports
 * first, then the 2025-2026 map, then the old map (the worst order for an engine that resolves
 * units on arrival). Each school year ends under its own units.
 */
@ExtendWith(KafkaBroker.class)
class ReformEndToEndTest {
    private static final String Y23 = "2023-2024";
    private static final String Y25 = "2025-2026";

    @Test
    void eachSchoolYearStaysUnderItsOwnMap(Broker broker, @TempDir Path state) throws Exception {
        String t = "R" + UUID.randomUUID().toString().substring(0, 6);
        String hg = t + "-HG";   // Hà Giang: a province until 2025
        String tq = t + "-TQ";   // Tuyên Quang: absorbed Hà Giang in 2025
        String hn = t + "-HN";
        try (Reports kafka = new Reports(broker.bootstrapServers());
             RunningService app = new RunningService(broker.bootstrapServers(), "reform-" + t, state)) {
            for (int i = 1; i <= 3; i++) {
                String s = t + "-S" + i;
                kafka.attendance(s, "2024-03-05", 100 * i, 90 * i, 1).attendance(s, "2025-10-01", 100 * i, 80 * i, 1)
                        .send("reports.exam", s, "{\"schoolId\":\"" + s + "\",\"schoolYear\":\"" + Y23
                                + "\",\"exam\":\"THPT_GRADUATION\",\"candidates\":" + (10 * i) + ",\"passed\":" + (9 * i) + "}");
            }
            // The map of 2025-2026: two schools directly under the merged province, one under a commune.
            kafka.send(Topics.PROVINCES.name(), tq + "|" + Y25, "{\"code\":\"" + tq + "\",\"name\":\"Tuyên Quang (mới)\"}")
                    .send(Topics.PROVINCES.name(), hn + "|" + Y25, "{\"code\":\"" + hn + "\",\"name\":\"Hà Nội\"}")
                    .send(Topics.DISTRICTS.name(), t + "-X1|" + Y25, "{\"code\":\"" + t + "-X1\",\"name\":\"Phường Hoàng Mai\","
                            + "\"province\":\"" + hn + "\",\"scope\":\"commune\",\"schoolYear\":\"" + Y25 + "\"}")
                    .send(Topics.SCHOOLS.name(), t + "-S1|" + Y25, school(t + "-S1", "province", tq))
                    .send(Topics.SCHOOLS.name(), t + "-S2|" + Y25, school(t + "-S2", "province", tq))
                    .send(Topics.SCHOOLS.name(), t + "-S3|" + Y25, school(t + "-S3", "district", t + "-X1"))
                    .cluster(t + "-C", "Cụm tỉnh", Y25, "province", tq, tq)
                    .cluster(t + "-P", "Cụm phường", Y25, "commune", t + "-X1", t + "-X1");
            // The old map, as timeless rows.
            kafka.province(hg, "Hà Giang").province(tq, "Tuyên Quang").province(hn, "Hà Nội")
                    .district(t + "-D1", "Huyện Hà Giang thử", hg).district(t + "-D2", "Huyện Tuyên Quang thử", tq)
                    .district(t + "-D3", "Quận Hoàng Mai", hn)
                    .school(t + "-S1", t + "-D1").school(t + "-S2", t + "-D2").school(t + "-S3", t + "-D3")
                    .cluster(t + "-C", "Cụm tỉnh", Y23, "province", hg, hg, tq)
                    .flush();

            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                PrometheusText m = app.metrics();
                // The current day is 2025-10-01: the new map's units.
                assertThat(m.value("schoolstats_attendance_present", "scope", "province", "code", tq,
                        "name", "Tuyên Quang (mới)")).contains(80.0 + 160.0);
                assertThat(m.value("schoolstats_attendance_present", "scope", "commune", "code", t + "-X1")).contains(240.0);
                assertThat(m.value("schoolstats_registered_schools", "scope", "cluster", "code", t + "-C")).contains(2.0);
                // 2023-2024 under the old map: Hà Giang has its exam, named as then.
                assertThat(m.value("schoolstats_exam_passed", "scope", "province", "code", hg, "school_year", Y23,
                        "name", "Hà Giang")).contains(9.0);
                assertThat(m.value("schoolstats_exam_passed", "scope", "province", "code", tq, "school_year", Y23,
                        "name", "Tuyên Quang")).contains(18.0);
                assertThat(m.value("schoolstats_cluster_rank", "cluster", t + "-C", "school_year", Y23, "code", hg,
                        "indicator", "pass_ratio:THPT_GRADUATION")).isPresent();
            });

            JsonNode hg23 = app.json("/api/v1/stats/province/" + hg + "?schoolYear=" + Y23);
            assertThat(hg23.at("/attendance/present").asLong()).isEqualTo(90);
            assertThat(hg23.get("registeredSchools").asLong()).isEqualTo(1);
            JsonNode hg25 = app.json("/api/v1/stats/province/" + hg + "?schoolYear=" + Y25);
            assertThat(hg25.get("registeredSchools").asLong()).isZero();
            assertThat(hg25.at("/attendance/present").asLong()).isZero();
            JsonNode tq23 = app.json("/api/v1/stats/province/" + tq + "?schoolYear=" + Y23);
            assertThat(tq23.get("name").asText()).isEqualTo("Tuyên Quang");
            assertThat(tq23.at("/attendanceSchoolYear/present").asLong()).isEqualTo(180);
            JsonNode commune = app.json("/api/v1/stats/commune/" + t + "-X1");
            assertThat(commune.get("scope").asText()).isEqualTo("commune");
            assertThat(commune.get("province").asText()).isEqualTo(hn);
            assertThat(commune.get("registeredSchools").asLong()).isEqualTo(1);
            // A commune of 2025-2026 did not exist in 2023-2024: no row in force, 404 saying which years it has.
            var before = app.get("/api/v1/stats/commune/" + t + "-X1?schoolYear=" + Y23);
            assertThat(before.statusCode()).isEqualTo(404);
            assertThat(before.body()).contains("no row in force for " + Y23).contains("[" + Y25 + "]");
            JsonNode ranking = app.json("/api/v1/clusters/" + t + "-C/ranking?schoolYear=" + Y23);
            assertThat(ranking.get("members")).hasSize(2);
            assertThat(ranking.at("/indicators/0/ranking")).hasSize(2);

            // A 2025-2026 row changes: the school moves commune; 2023-2024 does not move.
            kafka.send(Topics.DISTRICTS.name(), t + "-X2|" + Y25, "{\"code\":\"" + t + "-X2\",\"name\":\"Phường Lĩnh Nam\","
                            + "\"province\":\"" + hn + "\",\"scope\":\"commune\"}")
                    .send(Topics.SCHOOLS.name(), t + "-S3|" + Y25, school(t + "-S3", "district", t + "-X2")).flush();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                PrometheusText m = app.metrics();
                assertThat(m.value("schoolstats_attendance_present", "scope", "commune", "code", t + "-X2")).contains(240.0);
                assertThat(m.find("schoolstats_attendance_present", "code", t + "-X1")).isEmpty();
                assertThat(m.value("schoolstats_exam_passed", "scope", "district", "code", t + "-D3", "school_year", Y23))
                        .contains(27.0);
            });
        }
    }

    private static String school(String id, String parentField, String parent) {
        return "{\"schoolId\":\"" + id + "\",\"name\":\"Trường " + id + "\",\"level\":\"PRIMARY\",\"" + parentField
                + "\":\"" + parent + "\"}";
    }
}
