package io.schoolstats.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.schoolstats.contract.Topics;
import io.schoolstats.testing.PrometheusText;
import io.schoolstats.testing.Reports;
import io.schoolstats.testing.RunningService;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A small country for the dashboards: two provinces, three districts and a commune, six schools,
 * one district cluster; attendance on two days of one school year (the later is the current
 * school day, where one district falls below 90 % and one school does not report),
 * completion with and without conduct, exams with score bands and awards, a correction,
 * a duplicate and a rejected report; the current day's attendance on time (by 09:00 in
 * Vietnam) for schools 1, 2 and 6, late for schools 3 and 4. Every statistic a dashboard reads
 * has a series, for a district, the commune and a province alike. A seventh school belonged to
 * district 2 in the school year before only, and reported one day then: that year's only local unit.
 *
 * <p>The cluster has a scoring scheme ({@link #LEAGUE}): two criteria computed from the members'
 * indicators and two scored by people, whose scores ({@link #sendScores}) include a correction, a
 * duplicate, a stale revision, a score over the maximum (kept, not counted) and a broken one
 * (rejected), and leave one member unscored on one criterion.
 */
final class SampleStats {
    static final String YEAR = "2023-2024";
    static final String EARLIER_DAY = "2024-03-04";
    static final String CURRENT_DAY = "2024-03-05";
    /** A school year of the past, whose units are not those of {@link #YEAR}. */
    static final String PAST_YEAR = "2022-2023";
    static final String PAST_DAY = "2023-03-06";

    /** Unique codes, so that a shared external cluster cannot mix runs. */
    final String prefix = "G" + UUID.randomUUID().toString().substring(0, 5);
    final String province1 = prefix + "-P1";
    final String province2 = prefix + "-P2";
    final String district1 = prefix + "-D1";
    final String district2 = prefix + "-D2";
    final String district3 = prefix + "-D3";
    final String commune = prefix + "-X1";
    final String cluster = prefix + "-C";

    /** A member's line in the sample's league table: its points by criterion (those it has), total and rank. */
    record LeagueLine(String name, Map<String, Double> points, double total, int rank) {
    }

    /**
     * The league table of {@link #cluster} in {@link #YEAR} once the scores are in, best first.
     * Computed: attendance over the school year, linear from 0.8 to 1.0 for 100 points (district 1:
     * 286/300, 76.67; district 3: 211/220, 79.55; district 2: 330/400, 12.5), and the GRADE10_ENTRANCE
     * pass ratio by thresholds (29/30: 100; 18/20: 70; 30/40: 40). Scored by people: teaching (at
     * most 100) and movement (50); district 3 is not scored on movement yet (its 60 is over the maximum).
     */
    static final List<LeagueLine> LEAGUE = List.of(
            new LeagueLine("Quận Mẫu Một", Map.of("attendance", 76.67, "exams", 100.0, "teaching", 85.5,
                    "movement", 40.0), 302.17, 1),
            new LeagueLine("Huyện Mẫu Ba", Map.of("attendance", 79.55, "exams", 70.0, "teaching", 70.0), 219.55, 2),
            new LeagueLine("Huyện Mẫu Hai", Map.of("attendance", 12.5, "exams", 40.0, "teaching", 90.0,
                    "movement", 45.25), 187.75, 3));
    /** What became of the sample's emulation scores, by outcome. */
    static final Map<String, Long> SCORE_OUTCOMES = Map.of("accepted", 7L, "duplicate", 1L, "stale", 1L, "rejected", 1L);

    private String school(int n) {
        return prefix + "-S" + n;
    }

    /** Sends the reference rows and reports; the broker has acknowledged them all on return. */
    SampleStats send(String bootstrapServers) {
        try (Reports kafka = new Reports(bootstrapServers)) {
            kafka.province(province1, "Tỉnh Mẫu Một").province(province2, "Tỉnh Mẫu Hai")
                    .district(district1, "Quận Mẫu Một", province1)
                    .district(district2, "Huyện Mẫu Hai", province1)
                    .district(district3, "Huyện Mẫu Ba", province2)
                    .school(school(1), district1).school(school(2), district1).school(school(3), district2)
                    .school(school(4), district3).school(school(5), district3)
                    .cluster(cluster, "Cụm thi đua mẫu", YEAR, "district", district1, district1, district2, district3)
                    .send(Topics.EMULATION_SCHEMES.name(), cluster + "|" + YEAR, scheme());
            // A commune (a unit of the map since July 2025; timeless here) in province 1, with school 6.
            kafka.send(Topics.DISTRICTS.name(), commune, "{\"code\":\"" + commune + "\",\"name\":\"Phường Mẫu\","
                    + "\"province\":\"" + province1 + "\",\"scope\":\"commune\"}").school(school(6), commune);
            // School 7 is registered for the past school year only, in district 2.
            kafka.send(Topics.SCHOOLS.name(), school(7) + "|" + PAST_YEAR, "{\"schoolId\":\"" + school(7) + "\","
                    + "\"name\":\"Trường " + school(7) + "\",\"level\":\"PRIMARY\",\"district\":\"" + district2
                    + "\",\"schoolYear\":\"" + PAST_YEAR + "\"}");
            kafka.attendance(school(1), EARLIER_DAY, 100, 95, 1)
                    .attendance(school(2), EARLIER_DAY, 50, 45, 1)
                    .attendance(school(3), EARLIER_DAY, 200, 170, 1)
                    .attendance(school(4), EARLIER_DAY, 80, 76, 1)
                    .attendance(school(5), EARLIER_DAY, 60, 57, 1)
                    .send("reports.attendance", school(1), attendance(1, 100, 90, 1, "07:40"))
                    .send("reports.attendance", school(1), attendance(1, 100, 97, 2, "10:05"))   // correction
                    .send("reports.attendance", school(2), attendance(2, 50, 49, 1, "08:15"))
                    .send("reports.attendance", school(2), attendance(2, 50, 49, 1, "08:15"))    // duplicate
                    .send("reports.attendance", school(3), attendance(3, 200, 160, 1, "09:30"))  // late; district 2 below 90 %
                    .attendance(school(4), CURRENT_DAY, 80, 78, 1)       // submitted "now": late; school 5 does not report
                    .attendance(school(6), EARLIER_DAY, 300, 285, 1)
                    .send("reports.attendance", school(6), attendance(6, 300, 291, 1, "08:50"))
                    .attendance(school(7), PAST_DAY, 120, 110, 1)
                    .send("reports.attendance", school(4), "{\"schoolId\":\"" + school(4) + "\",\"date\":\""
                            + CURRENT_DAY + "\",\"enrolled\":80,\"present\":81}");   // rejected
            completion(kafka, 1, "PRIMARY", 80, 78, 70);
            completion(kafka, 3, "PRIMARY", 60, 50, 55);
            completion(kafka, 4, "PRIMARY", 30, 29, -1);
            completion(kafka, 4, "LOWER_SECONDARY", 40, 39, 35);
            completion(kafka, 6, "PRIMARY", 70, 69, 66);
            exam(kafka, 3, "GRADE10_ENTRANCE", 40, 30, "[0,0,1,2,3,4,10,10,6,4]", "{\"first\":2,\"consolation\":1}");
            exam(kafka, 4, "GRADE10_ENTRANCE", 20, 18, "[0,0,0,1,1,2,4,6,4,2]", "{\"second\":1,\"third\":2}");
            exam(kafka, 1, "GRADE10_ENTRANCE", 30, 29, "[0,0,0,0,1,2,5,10,8,4]", "{\"first\":1}");
            exam(kafka, 4, "THPT_GRADUATION", 25, 24, "[0,0,0,1,2,4,6,6,4,2]", "{}");
            exam(kafka, 6, "GRADE10_ENTRANCE", 35, 33, "[0,0,0,1,1,3,6,10,9,5]", "{\"first\":1,\"third\":1}");
        }
        return this;
    }

    /** The cluster's scoring scheme of {@link #YEAR} (see {@link #LEAGUE}). */
    private String scheme() {
        return "{\"clusterId\":\"" + cluster + "\",\"schoolYear\":\"" + YEAR + "\",\"name\":\"Bảng điểm thi đua mẫu\","
                + "\"flag\":{\"top\":1},\"criteria\":["
                + "{\"id\":\"attendance\",\"name\":\"Chuyên cần\",\"maxPoints\":100,\"indicator\":\"attendance_ratio\","
                + "\"rule\":{\"type\":\"linear\",\"from\":0.8,\"to\":1.0}},"
                + "{\"id\":\"exams\",\"name\":\"Thi vào lớp 10\",\"maxPoints\":100,"
                + "\"indicator\":\"pass_ratio:GRADE10_ENTRANCE\",\"rule\":{\"type\":\"thresholds\",\"steps\":["
                + "{\"atLeast\":0.95,\"points\":100},{\"atLeast\":0.85,\"points\":70},{\"atLeast\":0.7,\"points\":40}]}},"
                + "{\"id\":\"teaching\",\"name\":\"Dạy và học\",\"maxPoints\":100},"
                + "{\"id\":\"movement\",\"name\":\"Phong trào\",\"maxPoints\":50}]}";
    }

    /**
     * Sends the evaluators' scores (see {@link #LEAGUE} and {@link #SCORE_OUTCOMES}), in this order
     * on the cluster's key (a score read before its scheme would be kept and counted once it
     * arrives; after {@link #awaitVisible}, the table is whole when the scores are).
     */
    SampleStats sendScores(String bootstrapServers) {
        try (Reports kafka = new Reports(bootstrapServers)) {
            score(kafka, district1, "teaching", "80", 1);
            score(kafka, district1, "teaching", "85.5", 2);     // correction
            score(kafka, district1, "teaching", "80", 1);       // stale
            score(kafka, district1, "teaching", "85.5", 2);     // duplicate
            score(kafka, district1, "movement", "40", 1);
            score(kafka, district2, "teaching", "90", 1);
            score(kafka, district2, "movement", "45.25", 1);
            score(kafka, district3, "teaching", "70", 1);
            score(kafka, district3, "movement", "60", 1);       // over the maximum of 50: kept, not counted
            score(kafka, district3, "movement", "20.125", 2);   // three decimals: rejected
        }
        return this;
    }

    private void score(Reports kafka, String member, String criterion, String points, int revision) {
        kafka.send(Topics.EMULATION_SCORES.name(), cluster, "{\"clusterId\":\"" + cluster + "\",\"schoolYear\":\""
                + YEAR + "\",\"member\":\"" + member + "\",\"criterion\":\"" + criterion + "\",\"points\":" + points
                + ",\"revision\":" + revision + "}");
    }

    /** Waits until /metrics shows the league with every score of {@link #sendScores} in it. */
    SampleStats awaitScored(RunningService... apps) {
        await("the sample's emulation scores in /metrics").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    PrometheusText m = metrics(apps);
                    for (LeagueLine line : LEAGUE) {
                        assertThat(m.value("schoolstats_emulation_total_points", "cluster", cluster, "name",
                                line.name())).as(line.name()).contains(line.total());
                    }
                    double read = m.find("schoolstats_reports_total", "type", "emulation_score").stream()
                            .mapToDouble(PrometheusText.Sample::value).sum();
                    assertThat(read).isGreaterThanOrEqualTo(SCORE_OUTCOMES.values().stream().mapToLong(n -> n).sum());
                });
        return this;
    }

    private static PrometheusText metrics(RunningService... apps) {
        StringBuilder pages = new StringBuilder();
        for (RunningService app : apps) {
            pages.append(app.get("/metrics").body()).append('\n');
        }
        return new PrometheusText(pages.toString());
    }

    /** An attendance report of the current school day submitted at a time of that day in Vietnam (deadline 09:00). */
    private String attendance(int school, int enrolled, int present, int revision, String time) {
        return "{\"schoolId\":\"" + school(school) + "\",\"date\":\"" + CURRENT_DAY + "\",\"enrolled\":" + enrolled
                + ",\"present\":" + present + ",\"revision\":" + revision + ",\"submittedAt\":\"" + CURRENT_DAY + "T"
                + time + ":00+07:00\"}";
    }

    // Completion and exam results submitted early in the summer: on time for any deadline of the school year.
    private void completion(Reports kafka, int school, String level, int assessed, int completed, int conductGood) {
        kafka.send("reports.completion", school(school), "{\"schoolId\":\"" + school(school) + "\",\"schoolYear\":\""
                + YEAR + "\",\"level\":\"" + level + "\",\"assessed\":" + assessed + ",\"completed\":" + completed
                + (conductGood >= 0 ? ",\"conductGood\":" + conductGood : "")
                + ",\"submittedAt\":\"2024-05-24T08:00:00+07:00\"}");
    }

    private void exam(Reports kafka, int school, String exam, int candidates, int passed, String bands, String awards) {
        kafka.send("reports.exam", school(school), "{\"schoolId\":\"" + school(school) + "\",\"schoolYear\":\"" + YEAR
                + "\",\"exam\":\"" + exam + "\",\"candidates\":" + candidates + ",\"passed\":" + passed
                + ",\"scoreBands\":" + bands + ",\"awards\":" + awards
                + ",\"submittedAt\":\"2024-06-01T08:00:00+07:00\"}");
    }

    /**
     * Waits until /metrics shows every report above (over all the instances given: each unit's
     * series come from one of them): all of them are processed then.
     */
    SampleStats awaitVisible(RunningService... apps) {
        await("the sample reports in /metrics").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    PrometheusText m = metrics(apps);
                    assertThat(m.value("schoolstats_attendance_ratio", "scope", "district", "code", district2))
                            .contains(0.8);
                    assertThat(m.value("schoolstats_attendance_present", "scope", "cluster", "code", cluster))
                            .contains(384.0);
                    assertThat(m.value("schoolstats_attendance_present", "scope", "commune", "code", commune))
                            .contains(291.0);
                    assertThat(m.value("schoolstats_exam_awards", "scope", "commune", "code", commune,
                            "exam", "GRADE10_ENTRANCE", "award", "third")).contains(1.0);
                    assertThat(m.value("schoolstats_attendance_school_year_ratio", "scope", "district", "code",
                            district2, "school_year", PAST_YEAR)).isPresent();
                    assertThat(m.value("schoolstats_attendance_reporting_schools", "scope", "province", "code",
                            province2)).contains(1.0);
                    assertThat(m.value("schoolstats_conduct_good_ratio", "scope", "district", "code", district3,
                            "level", "LOWER_SECONDARY")).isPresent();
                    assertThat(m.value("schoolstats_exam_passed", "scope", "cluster", "code", cluster,
                            "exam", "THPT_GRADUATION")).contains(24.0);
                    assertThat(m.value("schoolstats_exam_awards", "scope", "province", "code", province2,
                            "exam", "GRADE10_ENTRANCE", "award", "third")).contains(2.0);
                    assertThat(m.find("schoolstats_cluster_rank", "cluster", cluster, "indicator",
                            "pass_ratio:THPT_GRADUATION")).hasSize(1);
                    assertThat(m.find("schoolstats_cluster_rank", "cluster", cluster, "indicator",
                            "completion_ratio:LOWER_SECONDARY")).hasSize(1);
                    assertThat(m.find("schoolstats_reports_total", "outcome", "rejected", "type", "attendance"))
                            .anySatisfy(s -> assertThat(s.value()).isGreaterThanOrEqualTo(1.0));
                    assertThat(m.find("kafka_stream_client_state")).isNotEmpty();
                    // The league, from the computed criteria alone (76.67 + 100): the scheme and members are held.
                    assertThat(m.value("schoolstats_emulation_total_points", "cluster", cluster, "code", district1))
                            .contains(176.67);
                    assertThat(m.find("schoolstats_emulation_points", "cluster", cluster)).hasSize(6);
                });
        return this;
    }
}
