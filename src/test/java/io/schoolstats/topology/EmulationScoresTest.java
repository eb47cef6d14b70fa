package io.schoolstats.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.schoolstats.contract.Topics;
import io.schoolstats.metrics.StatsMetrics;
import io.schoolstats.query.League;
import io.schoolstats.report.EmulationScore;
import io.schoolstats.topology.ReportOutcomes.Outcome;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Evaluators' scores on the real topology (issue 14): the highest revision wins in any order of
 * arrival, a score the cluster's scheme or members do not admit goes to reports.rejected and
 * changes nothing, people's points add to the computed ones in the league, and one year's scores
 * never move another year's table.
 */
class EmulationScoresTest {
    private static final String Y1 = "2023-2024";
    private static final String Y2 = "2024-2025";
    /** People-scored criteria p1..p6 (one per order of three revisions), 50 points each. */
    private static final int PEOPLE = 6;
    private Harness h;

    @BeforeEach
    void start() {
        h = new Harness();
        h.province("01");
        for (String d : List.of("A", "B", "C")) {
            h.district(d, "01");
            h.school("S" + d, d);
        }
        for (String year : List.of(Y1, Y2)) {
            h.reference(Topics.CLUSTERS, "K|" + year, "{\"clusterId\":\"K\",\"name\":\"Cụm K\",\"schoolYear\":\"" + year
                    + "\",\"scope\":\"district\",\"members\":[\"A\",\"B\",\"C\"]}");
            h.reference(Topics.EMULATION_SCHEMES, "K|" + year, scheme(year, 50));
        }
    }

    @AfterEach
    void stop() {
        h.close();
    }

    /** Attendance (computed, linear 0.8 to 1.0, 100 points) and p1..p6 scored by people, {@code max} each. */
    private static String scheme(String year, double max) {
        StringBuilder criteria = new StringBuilder("{\"id\":\"attendance\",\"name\":\"Chuyên cần\",\"maxPoints\":100,"
                + "\"indicator\":\"attendance_ratio\",\"rule\":{\"type\":\"linear\",\"from\":0.8,\"to\":1.0}}");
        for (int i = 1; i <= PEOPLE; i++) {
            criteria.append(",{\"id\":\"p").append(i).append("\",\"name\":\"Lĩnh vực ").append(i)
                    .append("\",\"maxPoints\":").append(max).append('}');
        }
        return "{\"clusterId\":\"K\",\"schoolYear\":\"" + year + "\",\"name\":\"Bảng điểm\",\"flag\":{\"top\":1},"
                + "\"criteria\":[" + criteria + "]}";
    }

    private static String score(String year, String member, String criterion, String points, long revision) {
        return "{\"clusterId\":\"K\",\"schoolYear\":\"" + year + "\",\"member\":\"" + member + "\",\"criterion\":\""
                + criterion + "\",\"points\":" + points + ",\"revision\":" + revision + "}";
    }

    private League.Table table(String year) {
        return League.of(h.query(), "K", year);
    }

    private Double points(String year, String member, String criterion) {
        League.Line line = table(year).lines().stream().filter(l -> l.code().equals(member)).findFirst().orElseThrow();
        return line.points().stream().filter(p -> p.criterion().equals(criterion)).findFirst().orElseThrow().points();
    }

    @Test
    void theHighestRevisionWinsInEveryOrderOfArrival() {
        // Revisions 1, 2, 3 of member A's score, one criterion per order of arrival; each also re-sent.
        String[] points = {"10", "20.5", "30.25"};
        List<int[]> orders = List.of(new int[] {1, 2, 3}, new int[] {1, 3, 2}, new int[] {2, 1, 3},
                new int[] {2, 3, 1}, new int[] {3, 1, 2}, new int[] {3, 2, 1});
        for (int c = 0; c < orders.size(); c++) {
            for (int revision : orders.get(c)) {
                h.score("K", score(Y1, "A", "p" + (c + 1), points[revision - 1], revision));
                h.score("K", score(Y1, "A", "p" + (c + 1), points[revision - 1], revision));
            }
        }
        for (int c = 1; c <= PEOPLE; c++) {
            assertThat(points(Y1, "A", "p" + c)).as("p" + c).isEqualTo(30.25);
        }
        assertThat(table(Y1).lines().get(0)).extracting(League.Line::code, League.Line::total)
                .containsExactly("A", 6 * 30.25);
        // Every arrival counted: a revision above the current one is accepted (and its re-send a
        // duplicate); one below it is stale, sent or re-sent.
        long accepted = 3 + 2 + 2 + 2 + 1 + 1;
        assertThat(h.outcomes.get(EmulationScore.LABEL, Outcome.ACCEPTED)).isEqualTo(accepted);
        assertThat(h.outcomes.get(EmulationScore.LABEL, Outcome.DUPLICATE)).isEqualTo(accepted);
        assertThat(h.outcomes.get(EmulationScore.LABEL, Outcome.STALE)).isEqualTo(36 - 2 * accepted);
        assertThat(h.rejected()).isEmpty();
    }

    @Test
    void aBrokenScoreIsRejectedWithItsReasonAndChangesNothing() {
        h.score("K", score(Y1, "A", "p1", "40", 1));
        h.score("K", score(Y1, "A", "p1", "10.005", 2));           // three decimals
        h.score("K", score(Y1, "A", "p1", "-1", 2));               // negative
        h.score("K", score(Y1, "A", "p1", "\"ten\"", 2));          // not a number
        h.score("K", score(Y1, "A", "p1", "1e400", 2));            // not a finite number
        h.score("K", score("2024-2026", "A", "p1", "10", 2));     // not a school year
        h.score("K", "{\"clusterId\":\"K\"");                       // not JSON
        List<JsonNode> rejected = h.rejected();
        assertThat(rejected).extracting(r -> r.path("reason").asText()).containsExactly("invalid_points",
                "invalid_points", "wrong_type", "invalid_points", "invalid_school_year", "malformed_json");
        assertThat(rejected).allSatisfy(r -> {
            assertThat(r.path("sourceTopic").asText()).isEqualTo("reports.emulation-scores");
            assertThat(r.path("key").asText()).isEqualTo("K");
        });
        assertThat(rejected.get(0).path("value").asText()).contains("\"points\":10.005");
        assertThat(points(Y1, "A", "p1")).isEqualTo(40.0);
        assertThat(h.outcomes.get(EmulationScore.LABEL, Outcome.REJECTED)).isEqualTo(6);
        // A rejected revision 2 takes nothing: revision 2, now valid, wins over 1.
        h.score("K", score(Y1, "A", "p1", "45", 2));
        assertThat(points(Y1, "A", "p1")).isEqualTo(45.0);
    }

    @Test
    void aScoreTheSchemeDoesNotAdmitIsKeptUncountedAndListedUntilItDoes() {
        h.score("K", score(Y1, "A", "p1", "40", 1));
        h.score("K", score(Y1, "A", "p1", "50.01", 2));            // above the maximum: A keeps no p1 points
        h.score("K", score(Y1, "A", "p9", "10", 1));               // not in the scheme
        h.score("K", score(Y1, "A", "attendance", "10", 1));       // computed, not scored by people
        h.score("K", score(Y1, "Z", "p1", "10", 1));               // not a member
        assertThat(h.rejected()).isEmpty();
        League.Table table = table(Y1);
        assertThat(points(Y1, "A", "p1")).isNull();
        assertThat(points(Y1, "A", "attendance")).isNull();
        assertThat(table.lines()).allSatisfy(l -> assertThat(l.total()).isZero());
        assertThat(table.unmatched()).extracting(League.Unmatched::member, League.Unmatched::criterion,
                        League.Unmatched::reason)
                .containsExactly(Tuple.tuple("A", "attendance", "computed_criterion"),
                        Tuple.tuple("A", "p1", "points_over_maximum"), Tuple.tuple("A", "p9", "unknown_criterion"),
                        Tuple.tuple("Z", "p1", "not_a_member"));
        // The scheme raised to 60 points a criterion, p9 added, Z a member: every one of them counts now.
        h.reference(Topics.EMULATION_SCHEMES, "K|" + Y1, scheme(Y1, 60).replace("\"criteria\":[",
                "\"criteria\":[{\"id\":\"p9\",\"name\":\"Thêm\",\"maxPoints\":10},"));
        h.reference(Topics.CLUSTERS, "K|" + Y1, "{\"clusterId\":\"K\",\"name\":\"Cụm K\",\"schoolYear\":\"" + Y1
                + "\",\"scope\":\"district\",\"members\":[\"A\",\"B\",\"C\",\"Z\"]}");
        assertThat(points(Y1, "A", "p1")).isEqualTo(50.01);
        assertThat(points(Y1, "A", "p9")).isEqualTo(10.0);
        assertThat(points(Y1, "Z", "p1")).isEqualTo(10.0);
        assertThat(table(Y1).unmatched()).extracting(League.Unmatched::reason).containsExactly("computed_criterion");
    }

    @Test
    void scoresReadBeforeTheirClusterAndSchemeCountOnceTheyArrive() {
        // A replay may read the scores before the compacted reference topics: the table must be the same.
        h.score("K2", "{\"clusterId\":\"K2\",\"schoolYear\":\"" + Y1 + "\",\"member\":\"B\",\"criterion\":\"p1\","
                + "\"points\":33.5}");
        h.score("K2", "{\"clusterId\":\"K2\",\"schoolYear\":\"" + Y1 + "\",\"member\":\"C\",\"criterion\":\"p1\","
                + "\"points\":12,\"revision\":2}");
        assertThat(League.of(h.query(), "K2", Y1)).isNull();
        h.reference(Topics.EMULATION_SCHEMES, "K2|" + Y1, scheme(Y1, 50).replace("\"K\"", "\"K2\""));
        h.reference(Topics.CLUSTERS, "K2|" + Y1, "{\"clusterId\":\"K2\",\"name\":\"Cụm K2\",\"schoolYear\":\""
                + Y1 + "\",\"scope\":\"district\",\"members\":[\"B\",\"C\"]}");
        League.Table table = League.of(h.query(), "K2", Y1);
        assertThat(table.lines()).extracting(League.Line::code, League.Line::total, League.Line::rank)
                .containsExactly(Tuple.tuple("B", 33.5, 1), Tuple.tuple("C", 12.0, 2));
        assertThat(h.rejected()).isEmpty();
    }

    @Test
    void peoplesPointsAddToTheComputedOnesAndEqualTotalsShareARank() {
        h.attendance("SA", "2024-03-05", 100, 90, 1);    // 50 computed
        h.attendance("SB", "2024-03-05", 100, 100, 1);   // 100 computed
        h.attendance("SC", "2024-03-05", 100, 80, 1);    // 0 computed
        List<String> scores = new ArrayList<>();
        for (int i = 1; i <= PEOPLE; i++) {
            scores.add(score(Y1, "A", "p" + i, "40", 1));                 // A: 50 + 240 = 290
            scores.add(score(Y1, "B", "p" + i, i <= 2 ? "45.5" : "30", 1)); // B: 100 + 91 + 120 = 311
            scores.add(score(Y1, "C", "p" + i, "50", 1));                 // C: 0 + 300 = 300
        }
        scores.forEach(s -> h.score("K", s));
        League.Table table = table(Y1);
        assertThat(table.provisional()).isFalse();
        assertThat(table.lines()).extracting(League.Line::code, League.Line::total, League.Line::rank,
                        League.Line::proposed)
                .containsExactly(Tuple.tuple("B", 311.0, 1, true), Tuple.tuple("C", 300.0, 2, false),
                        Tuple.tuple("A", 290.0, 3, false));
        // A correction of A's p1 to 50.5 brings A level with C: they share rank 2.
        h.score("K", score(Y1, "A", "p1", "50", 2));
        assertThat(table(Y1).lines()).extracting(League.Line::code, League.Line::total, League.Line::rank)
                .containsExactly(Tuple.tuple("B", 311.0, 1), Tuple.tuple("A", 300.0, 2), Tuple.tuple("C", 300.0, 2));

        StatsMetrics metrics = new StatsMetrics(h.query());
        metrics.refresh();
        assertThat(metrics.text()).contains("schoolstats_emulation_points{scope=\"district\",code=\"B\",name=\"Quận B\","
                + "cluster=\"K\",school_year=\"2023-2024\",criterion=\"p1\"} 45.5");
        assertThat(metrics.text()).contains("schoolstats_emulation_total_points{scope=\"district\",code=\"A\","
                + "name=\"Quận A\",cluster=\"K\",school_year=\"2023-2024\"} 300.0");
    }

    @Test
    void oneYearsScoresNeverMoveAnotherYearsTable() {
        h.score("K", score(Y1, "A", "p1", "40", 1));
        h.score("K", score(Y1, "B", "p1", "20", 1));
        List<League.Line> before = table(Y1).lines();
        h.score("K", score(Y2, "A", "p1", "10", 5));
        h.score("K", score(Y2, "B", "p1", "50", 1));
        assertThat(table(Y1).lines()).isEqualTo(before);
        assertThat(points(Y2, "A", "p1")).isEqualTo(10.0);
        assertThat(points(Y2, "B", "p1")).isEqualTo(50.0);
    }

    @Test
    void aScoreTheSchemeNoLongerAdmitsCountsAsNotScored() {
        h.score("K", score(Y1, "A", "p1", "40", 1));
        h.score("K", score(Y1, "A", "p2", "20", 1));
        // The cluster lowers every people's criterion to 30 points: A's 40 must be scored again.
        h.reference(Topics.EMULATION_SCHEMES, "K|" + Y1, scheme(Y1, 30));
        assertThat(points(Y1, "A", "p1")).isNull();
        assertThat(points(Y1, "A", "p2")).isEqualTo(20.0);
        h.score("K", score(Y1, "A", "p1", "30", 2));
        assertThat(points(Y1, "A", "p1")).isEqualTo(30.0);
    }
}
