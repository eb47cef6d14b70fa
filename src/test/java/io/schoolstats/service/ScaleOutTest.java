package io.schoolstats.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.schoolstats.report.Json;
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
 * Two instances of one application id are one service: every GET answered by either (forwarded
 * to the unit's owner), each unit's series on exactly one /metrics, one current day; and when one
 * instance stops, the other answers for everything.
 */
@ExtendWith(KafkaBroker.class)
class ScaleOutTest {
    private static final String T = "X" + UUID.randomUUID().toString().substring(0, 5);
    private static final String P = T + "-P";

    @Test
    void twoInstancesAnswerForEveryUnitAndOneTakesOverWhenTheOtherStops(Broker broker, @TempDir Path a,
                                                                        @TempDir Path b) {
        List<String> districts = new ArrayList<>();
        String app = "scale-" + T;
        // The first instance creates the topics.
        RunningService one = new RunningService(broker.bootstrapServers(), app, a, StatsService.Ingestion.disabled(), 1);
        try (one; Reports reports = new Reports(broker.bootstrapServers())) {
            reports.province(P, "Tỉnh " + P);
            for (int d = 0; d < 8; d++) {
                String district = T + "-D" + d;
                districts.add(district);
                reports.district(district, "Huyện " + d, P);
                for (int s = 0; s < 2; s++) {
                    String school = district + "-S" + s;
                    reports.school(school, district);
                    reports.attendance(school, "2024-03-05", 100, 10 * d + s, 1);
                }
            }
            // One school of one district reports a later day: the current day of every instance.
            reports.attendance(T + "-D0-S0", "2024-03-06", 100, 50, 1);
            reports.flush();
            RunningService two = new RunningService(broker.bootstrapServers(), app, b, StatsService.Ingestion.disabled(), 1);
            try {
                List<RunningService> both = List.of(one, two);
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    for (RunningService instance : both) {
                        for (int d = 0; d < districts.size(); d++) {
                            JsonNode view = json(instance.get("/api/v1/stats/district/" + districts.get(d)
                                    + "?date=2024-03-05"));
                            assertThat(view.at("/attendance/present").asLong()).isEqualTo(20L * d + 1);
                        }
                    }
                });
                // Both instances own some of the units: answers are forwarded both ways (once the
                // group has shared the tasks out: a rebalance may still be moving them just now).
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                        assertThat(both).allSatisfy(instance -> assertThat(districts).anySatisfy(d -> assertThat(
                                instance.get("/api/v1/stats/district/" + d).headers()
                                        .firstValue("X-Schoolstats-Served-By")).isPresent())));
                // One current day, whichever instance holds the school that reported it.
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    for (RunningService instance : both) {
                        for (String d : districts) {
                            assertThat(json(instance.get("/api/v1/stats/district/" + d)).at("/attendance/date").asText())
                                    .isEqualTo("2024-03-06");
                        }
                    }
                });
                for (RunningService instance : both) {
                    assertThat(json(instance.get("/api/v1/units/district")).findValuesAsText("code"))
                            .containsAll(districts);
                }
                // Each district's series on exactly one instance's /metrics: a sum over instances is exact.
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    PrometheusText m1 = one.metrics();
                    PrometheusText m2 = two.metrics();
                    for (String d : districts) {
                        int found = m1.find("schoolstats_attendance_school_year_ratio", "code", d).size()
                                + m2.find("schoolstats_attendance_school_year_ratio", "code", d).size();
                        assertThat(found).as(d).isEqualTo(1);
                    }
                    assertThat(m1.find("schoolstats_attendance_school_year_ratio", "scope", "district")).isNotEmpty();
                    assertThat(m2.find("schoolstats_attendance_school_year_ratio", "scope", "district")).isNotEmpty();
                });
            } finally {
                two.close();
            }
            // The survivor takes every unit over.
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                for (int d = 0; d < districts.size(); d++) {
                    HttpResponse<String> answer = one.get("/api/v1/stats/district/" + districts.get(d) + "?date=2024-03-05");
                    assertThat(answer.statusCode()).isEqualTo(200);
                    assertThat(json(answer).at("/attendance/present").asLong()).isEqualTo(20L * d + 1);
                }
                PrometheusText m = one.metrics();
                for (String d : districts) {
                    assertThat(m.find("schoolstats_attendance_school_year_ratio", "code", d)).hasSize(1);
                }
            });
        }
    }

    private static JsonNode json(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        try {
            return Json.MAPPER.readTree(answer.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
