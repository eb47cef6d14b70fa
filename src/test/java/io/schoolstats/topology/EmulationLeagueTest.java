package io.schoolstats.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.schoolstats.contract.Topics;
import io.schoolstats.metrics.StatsMetrics;
import io.schoolstats.query.League;
import io.schoolstats.query.StatsQuery;
import io.schoolstats.report.ReportType;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The emulation league on the real topology: a cluster's scheme scores its members from their
 * indicators, live, through corrections and a school moving; equal totals share a rank; the flag
 * goes to the top of the table; a past year's table stays as that year's reports left it.
 */
class EmulationLeagueTest {
    private static final String Y1 = "2023-2024";
    private static final String Y2 = "2024-2025";
    private Harness h;
    private StatsQuery query;

    @BeforeEach
    void start() {
        h = new Harness();
        query = h.query();
        h.province("01");
        for (String d : List.of("A", "B", "C", "D")) {
            h.district(d, "01");
            h.school("S" + d, d);
        }
        for (String year : List.of(Y1, Y2)) {
            h.reference(Topics.CLUSTERS, "K|" + year, "{\"clusterId\":\"K\",\"name\":\"Cụm K\",\"schoolYear\":\"" + year
                    + "\",\"scope\":\"district\",\"members\":[\"A\",\"B\",\"C\",\"D\"],\"head\":\"C\"}");
            h.reference(Topics.EMULATION_SCHEMES, "K|" + year, scheme(year));
        }
    }

    @AfterEach
    void stop() {
        h.close();
    }

    /** Attendance linear from 0.8 to 1.0 (200 points), graduation by thresholds (200), teaching by people (200). */
    private static String scheme(String year) {
        return "{\"clusterId\":\"K\",\"schoolYear\":\"" + year + "\",\"name\":\"Bảng điểm thi đua\",\"flag\":{\"top\":2},"
                + "\"criteria\":["
                + "{\"id\":\"attendance\",\"name\":\"Chuyên cần\",\"maxPoints\":200,\"indicator\":\"attendance_ratio\","
                + "\"rule\":{\"type\":\"linear\",\"from\":0.8,\"to\":1.0}},"
                + "{\"id\":\"graduation\",\"name\":\"Tốt nghiệp THPT\",\"maxPoints\":200,"
                + "\"indicator\":\"pass_ratio:THPT_GRADUATION\",\"rule\":{\"type\":\"thresholds\",\"steps\":["
                + "{\"atLeast\":0.99,\"points\":200},{\"atLeast\":0.95,\"points\":150},{\"atLeast\":0.9,\"points\":100}]}},"
                + "{\"id\":\"teaching\",\"name\":\"Dạy và học\",\"maxPoints\":200}]}";
    }

    private void exam(String school, String year, long candidates, long passed, long revision) {
        h.report(ReportType.EXAM, "{\"schoolId\":\"" + school + "\",\"schoolYear\":\"" + year + "\",\"exam\":"
                + "\"THPT_GRADUATION\",\"candidates\":" + candidates + ",\"passed\":" + passed + ",\"revision\":"
                + revision + "}");
    }

    private League.Table table(String year) {
        return League.of(query, "K", year);
    }

    private static List<Double> points(League.Table table, String member) {
        return table.lines().stream().filter(l -> l.code().equals(member)).findFirst().orElseThrow().points().stream()
                .map(League.Points::points).toList();
    }

    @Test
    void computedPointsFollowTheIndicatorsThroughCorrectionsAndAMove() {
        h.attendance("SA", "2024-03-05", 100, 90, 1);       // 0.9: half of 200
        h.attendance("SB", "2024-03-05", 100, 80, 1);       // 0.8: none
        exam("SA", Y1, 100, 96, 1);                          // 0.96: 150
        assertThat(points(table(Y1), "A")).containsExactly(100.0, 150.0, null);
        assertThat(points(table(Y1), "B")).containsExactly(0.0, null, null);
        assertThat(points(table(Y1), "C")).containsExactly(null, null, null);

        // Corrections, the later revision first: the winner counts whatever the order.
        h.attendance("SA", "2024-03-05", 100, 95, 3);       // 0.95: 150
        h.attendance("SA", "2024-03-05", 100, 85, 2);       // stale
        exam("SA", Y1, 100, 99, 2);                          // 0.99: 200
        assertThat(points(table(Y1), "A")).containsExactly(150.0, 200.0, null);
        assertThat(table(Y1).lines().get(0)).extracting(League.Line::code, League.Line::total, League.Line::rank)
                .containsExactly("A", 350.0, 1);

        // SB moves to A: A's attendance is now (95 + 80) / 200 = 0.875, 75 points; B has none.
        h.school("SB", "A");
        assertThat(points(table(Y1), "A")).containsExactly(75.0, 200.0, null);
        assertThat(points(table(Y1), "B")).containsExactly(null, null, null);
    }

    @Test
    void equalTotalsShareARankAndTheFlagGoesToTheTopTwoTiesIncluded() {
        h.attendance("SA", "2024-03-05", 100, 90, 1);       // 100
        h.attendance("SB", "2024-03-05", 50, 45, 1);        // 100, exactly equal
        h.attendance("SC", "2024-03-05", 100, 85, 1);       // 50
        h.attendance("SD", "2024-03-05", 100, 99, 1);       // 190
        League.Table table = table(Y1);
        assertThat(table.lines()).extracting(League.Line::code, League.Line::total, League.Line::rank,
                        League.Line::proposed)
                .containsExactly(Tuple.tuple("D", 190.0, 1, true), Tuple.tuple("A", 100.0, 2, true),
                        Tuple.tuple("B", 100.0, 2, true), Tuple.tuple("C", 50.0, 4, false));
        assertThat(table.lines().get(3).head()).isTrue();
        assertThat(table.lines().get(0).name()).isEqualTo("Quận D");
    }

    @Test
    void aPastYearsTableStaysAsItsReportsLeftIt() {
        h.attendance("SA", "2024-03-05", 100, 90, 1);
        List<League.Line> before = table(Y1).lines();
        h.attendance("SA", "2024-10-07", 100, 100, 1);      // the next school year
        exam("SB", Y2, 10, 10, 1);
        assertThat(table(Y1).lines()).isEqualTo(before);
        assertThat(points(table(Y2), "A")).containsExactly(200.0, null, null);
        assertThat(points(table(Y2), "B")).containsExactly(null, 200.0, null);
    }

    @Test
    void theTableIsExportedAsMetrics() {
        h.attendance("SA", "2024-03-05", 100, 90, 1);
        StatsMetrics metrics = new StatsMetrics(query);
        metrics.refresh();
        String text = metrics.text();
        assertThat(text).contains("schoolstats_emulation_points{scope=\"district\",code=\"A\",name=\"Quận A\","
                + "cluster=\"K\",school_year=\"2023-2024\",criterion=\"attendance\"} 100.0");
        assertThat(text).contains("schoolstats_emulation_total_points{scope=\"district\",code=\"A\",name=\"Quận A\","
                + "cluster=\"K\",school_year=\"2023-2024\"} 100.0");
        assertThat(text).contains("schoolstats_emulation_rank{scope=\"district\",code=\"A\",name=\"Quận A\","
                + "cluster=\"K\",school_year=\"2023-2024\"} 1");
        // Not scored yet: no series (the total and the rank still show).
        assertThat(text).doesNotContain("criterion=\"teaching\"");
    }

    @Test
    void theApiShowsTheTable() throws Exception {
        h.attendance("SA", "2024-03-05", 100, 90, 1);
        h.attendance("SD", "2024-03-05", 100, 99, 1);
        try (io.schoolstats.http.ApiServer api = new io.schoolstats.http.ApiServer(query, null,
                () -> org.apache.kafka.streams.KafkaStreams.State.RUNNING, null).start("127.0.0.1", 0)) {
            JsonNode table = io.schoolstats.report.Json.MAPPER.readTree(get(api, "/api/v1/clusters/K/emulation?schoolYear="
                    + Y1).body());
            assertThat(table.path("scheme").path("criteria").findValuesAsText("id"))
                    .containsExactly("attendance", "graduation", "teaching");
            assertThat(table.path("members").findValuesAsText("code")).containsExactly("D", "A", "B", "C");
            assertThat(table.path("provisional").asBoolean()).as("teaching is not scored yet").isTrue();
            JsonNode first = table.path("members").get(0);
            assertThat(first.path("rank").asInt()).isEqualTo(1);
            assertThat(first.path("total").asDouble()).isEqualTo(190.0);
            assertThat(first.path("proposed").asBoolean()).isTrue();
            assertThat(first.path("points").get(0).path("value").asDouble()).isEqualTo(0.99);
            assertThat(first.path("points").get(1).path("points").isNull()).isTrue();
            assertThat(table.path("members").get(2).path("proposed").asBoolean()).as("B: no data, rank 3").isFalse();

            assertThat(get(api, "/api/v1/clusters/NOPE/emulation").statusCode()).isEqualTo(404);
            h.reference(Topics.EMULATION_SCHEMES, "K|" + Y2, null);
            java.net.http.HttpResponse<String> none = get(api, "/api/v1/clusters/K/emulation?schoolYear=" + Y2);
            assertThat(none.statusCode()).isEqualTo(404);
            assertThat(none.body()).contains("no scoring scheme in 2024-2025");
        }
    }

    private static java.net.http.HttpResponse<String> get(io.schoolstats.http.ApiServer api, String path)
            throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + api.port() + path)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aBadSchemeGoesToTheDeadLetterTopicAndTheGoodOneStays() {
        h.attendance("SA", "2024-03-05", 100, 90, 1);
        h.reference(Topics.EMULATION_SCHEMES, "K|" + Y1, scheme(Y1).replace("\"to\":1.0", "\"to\":0.5"));
        List<JsonNode> all = h.rejected();
        assertThat(all).hasSize(1);
        JsonNode rejected = all.get(0);
        assertThat(rejected.path("reason").asText()).isEqualTo("invalid_criterion");
        assertThat(rejected.path("sourceTopic").asText()).isEqualTo("reference.emulation-schemes");
        assertThat(points(table(Y1), "A")).containsExactly(100.0, null, null);
        // Deleting the scheme removes the table.
        h.reference(Topics.EMULATION_SCHEMES, "K|" + Y1, null);
        assertThat(table(Y1)).isNull();
    }
}
