package io.schoolstats.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.schoolstats.contract.Topics;
import io.schoolstats.metrics.StatsMetrics;
import io.schoolstats.query.Ranking;
import io.schoolstats.query.StatsQuery;
import io.schoolstats.reference.Scope;
import io.schoolstats.report.ReportType;
import io.schoolstats.stage.Stage;
import io.schoolstats.stats.Measure;
import io.schoolstats.stats.Period;
import io.schoolstats.testing.PrometheusText;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The reform of 1 July 2025, replayed: two school years under districts of the 63-province map,
 * then the 2025-2026 map (communes, merged provinces, schools directly under their province, a
 * cluster of merged provinces) and its reports. Every figure of every year stays under the units
 * of its own year, in any order of arrival.
 */
class ReformTest {
    private static final String Y23 = "2023-2024";
    private static final String Y24 = "2024-2025";
    private static final String Y25 = "2025-2026";
    /** The MOET Cluster 4 provinces before the reform, and Tuyên Quang (08) and Yên Bái (15), which absorbed two. */
    private static final List<String> OLD = List.of("14", "04", "10", "02", "20", "12", "11", "08", "15");
    private static final Map<String, String> OLD_NAMES = Map.of("14", "Sơn La", "04", "Cao Bằng", "10", "Lào Cai",
            "02", "Hà Giang", "20", "Lạng Sơn", "12", "Lai Châu", "11", "Điện Biên", "08", "Tuyên Quang", "15", "Yên Bái");
    /** Where each one went on 1 July 2025 (Resolution 202/2025/QH15, codes of Decision 19/2025/QĐ-TTg). */
    private static final Map<String, String> MERGED_INTO = Map.of("14", "14", "04", "04", "10", "15", "02", "08",
            "20", "20", "12", "12", "11", "11", "08", "08", "15", "15");

    /** Everything the scenario sends, one event per row or report, in a given order. */
    private static List<Consumer<Harness>> scenario() {
        List<Consumer<Harness>> events = new ArrayList<>();
        // The map before July 2025, as timeless rows: provinces, one district each, and Hanoi's Hoàng Mai.
        events.add(h -> h.province("01", null, "Hà Nội"));
        events.add(h -> h.localUnit("008", null, "district", "01"));
        for (String p : OLD) {
            events.add(h -> h.province(p, null, OLD_NAMES.get(p)));
            events.add(h -> h.localUnit("D" + p, null, "district", p));
        }
        events.add(h -> h.cluster("MOET-C4", Y23, "province", "14", "04", "10", "02", "20", "12", "11"));
        events.add(h -> h.cluster("HN-C1", Y23, "district", "008"));
        // The map of 2025-2026: merged provinces, a commune, schools under a commune or directly under a province.
        events.add(h -> h.province("01", Y25, "Hà Nội"));
        for (String p : List.copyOf(new java.util.TreeSet<>(MERGED_INTO.values()))) {
            events.add(h -> h.province(p, Y25, p.equals("15") ? "Lào Cai" : OLD_NAMES.get(p)));
        }
        events.add(h -> h.localUnit("00331", Y25, "commune", "01"));
        events.add(h -> h.cluster("MOET-C4", Y25, "province", "04", "14", "15", "08", "20", "12", "11"));
        events.add(h -> h.cluster("HN-P1", Y25, "commune", "00331"));
        // One school per old province (and one in Hoàng Mai), with a row for each map.
        events.add(h -> h.school("HN", null, "008"));
        events.add(h -> h.school("HN", Y25, "00331"));
        for (String p : OLD) {
            events.add(h -> h.school("S" + p, null, "D" + p));
            events.add(h -> h.schoolUnderProvince("S" + p, Y25, MERGED_INTO.get(p)));
        }
        // Reports of the three years; a correction in 2023-2024.
        for (String s : schools()) {
            int n = s.hashCode() % 20 + 20;
            events.add(h -> h.attendance(s, "2024-03-05", 100 + n, 90 + n, 1));
            events.add(h -> h.attendance(s, "2024-10-01", 100 + n, 80 + n, 1));
            events.add(h -> h.attendance(s, "2025-10-01", 100 + n, 70 + n, 1));
            events.add(h -> h.report(ReportType.EXAM, exam(s, Y23, 40 + n, 30 + n)));
            events.add(h -> h.report(ReportType.EXAM, exam(s, Y25, 40 + n, 35 + n)));
        }
        events.add(h -> h.attendance("S02", "2024-03-05", 50, 49, 2));
        return events;
    }

    private static List<String> schools() {
        List<String> out = new ArrayList<>(List.of("HN"));
        OLD.forEach(p -> out.add("S" + p));
        return out;
    }

    private static int n(String school) {
        return school.hashCode() % 20 + 20;
    }

    private static String exam(String school, String year, int candidates, int passed) {
        return String.format("{\"schoolId\":\"%s\",\"schoolYear\":\"%s\",\"exam\":\"THPT_GRADUATION\",\"candidates\":%d,"
                + "\"passed\":%d}", school, year, candidates, passed);
    }

    @Test
    void everyYearStaysUnderItsOwnMapWhateverTheOrder() {
        Random random = new Random(2025);
        for (int round = 0; round < 4; round++) {
            List<Consumer<Harness>> events = scenario();
            if (round > 0) {
                Collections.shuffle(events, random);
            }
            try (Harness h = new Harness()) {
                events.forEach(e -> e.accept(h));
                checkBothMaps(h);
            }
        }
    }

    private static void checkBothMaps(Harness h) {
        StatsQuery q = h.query();
        // Hà Giang (02) keeps its own 2023-2024 and 2024-2025 figures (with the correction), and has none after.
        assertThat(h.stats(Scope.PROVINCE, "02", "attendance_day:2024-03-05")).containsExactly(49, 50, 1, 0);
        assertThat(h.stats(Scope.PROVINCE, "02", "attendance_day:2024-10-01")).containsExactly(80 + n("S02"), 100 + n("S02"), 1, 0);
        assertThat(h.stats(Scope.PROVINCE, "02", "attendance_day:2025-10-01")).isNull();
        assertThat(q.registeredSchools(Stage.PROVINCE, "02", Y23)).isEqualTo(1);
        assertThat(q.registeredSchools(Stage.PROVINCE, "02", Y25)).isZero();
        // The merged Tuyên Quang (08) counts both its schools from 2025-2026 on, and one before.
        assertThat(h.stats(Scope.PROVINCE, "08", "attendance_day:2025-10-01"))
                .containsExactly(140 + n("S02") + n("S08"), 200 + n("S02") + n("S08"), 2, 0);
        assertThat(h.stats(Scope.PROVINCE, "08", "attendance_day:2024-10-01")).containsExactly(80 + n("S08"), 100 + n("S08"), 1, 0);
        assertThat(q.registeredSchools(Stage.PROVINCE, "08", Y24)).isEqualTo(1);
        assertThat(q.registeredSchools(Stage.PROVINCE, "08", Y25)).isEqualTo(2);
        // Code 15 was Yên Bái; since 2025 it is the merged Lào Cai, which also counts the old Lào Cai (10).
        assertThat(h.stats(Scope.PROVINCE, "15", "exam:2023-2024:THPT_GRADUATION")[0]).isEqualTo(40 + n("S15"));
        assertThat(h.stats(Scope.PROVINCE, "15", "exam:2025-2026:THPT_GRADUATION")[0]).isEqualTo(80 + n("S15") + n("S10"));
        assertThat(h.stats(Scope.PROVINCE, "10", "exam:2025-2026:THPT_GRADUATION")).isNull();
        // Schools directly under a province: nothing in their old district in 2025-2026.
        assertThat(q.registeredSchools(Stage.LOCAL, "D02", Y23)).isEqualTo(1);
        assertThat(q.registeredSchools(Stage.LOCAL, "D02", Y25)).isZero();
        assertThat(h.stats(Scope.DISTRICT, "D02", "attendance_day:2025-10-01")).isNull();
        // Hanoi: Hoàng Mai district before, Phường Hoàng Mai after, the city's totals of every year.
        assertThat(h.stats(Scope.DISTRICT, "008", "attendance_day:2024-03-05")).containsExactly(90 + n("HN"), 100 + n("HN"), 1, 0);
        assertThat(h.stats(Scope.DISTRICT, "008", "attendance_day:2025-10-01")).isNull();
        assertThat(h.stats(Scope.COMMUNE, "00331", "attendance_day:2025-10-01")).containsExactly(70 + n("HN"), 100 + n("HN"), 1, 0);
        assertThat(h.stats(Scope.PROVINCE, "01", "attendance_year:" + Y25)).containsExactly(70 + n("HN"), 100 + n("HN"), 1, 1, 0);
        assertThat(q.registeredSchools(Stage.LOCAL, "00331", Y25)).isEqualTo(1);
        assertThat(q.registeredSchools(Stage.LOCAL, "008", Y25)).isZero();
        assertThat(q.registeredSchools(Stage.CLUSTER, "HN-P1", Y25)).isEqualTo(1);
        assertThat(q.registeredSchools(Stage.CLUSTER, "HN-C1", Y23)).isEqualTo(1);

        // MOET Cluster 4's 2023-2024 ranking still has its seven members, Hà Giang among them.
        Ranking.Indicator pass23 = indicator(q, "MOET-C4", Y23, "pass_ratio:THPT_GRADUATION");
        assertThat(pass23.places()).extracting(Ranking.Place::code)
                .containsExactlyInAnyOrder("14", "04", "10", "02", "20", "12", "11");
        assertThat(pass23.places()).filteredOn(p -> p.code().equals("02")).extracting(Ranking.Place::name)
                .containsExactly("Hà Giang");
        assertThat(q.registeredSchools(Stage.CLUSTER, "MOET-C4", Y23)).isEqualTo(7);
        // ... and its 2025-2026 ranking has the merged provinces, under their 2025 names.
        Ranking.Indicator pass25 = indicator(q, "MOET-C4", Y25, "pass_ratio:THPT_GRADUATION");
        assertThat(pass25.places()).extracting(Ranking.Place::code)
                .containsExactlyInAnyOrder("04", "14", "15", "08", "20", "12", "11");
        assertThat(pass25.places()).filteredOn(p -> p.code().equals("15")).extracting(Ranking.Place::name)
                .containsExactly("Lào Cai");
        assertThat(q.registeredSchools(Stage.CLUSTER, "MOET-C4", Y25)).isEqualTo(9);
        assertThat(q.get(Stage.CLUSTER, "MOET-C4", Period.exam(Y25, "THPT_GRADUATION")).get(Measure.PASSED))
                .isEqualTo(OLD.stream().mapToLong(p -> 35 + n("S" + p)).sum());
    }

    private static Ranking.Indicator indicator(StatsQuery q, String cluster, String year, String name) {
        return Ranking.of(q, cluster, year).stream().filter(i -> i.indicator().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void metricsLabelEachSeriesWithTheUnitOfItsYear() {
        try (Harness h = new Harness()) {
            scenario().forEach(e -> e.accept(h));
            StatsMetrics metrics = new StatsMetrics(h.query());
            metrics.refresh();
            PrometheusText m = new PrometheusText(metrics.text());
            // Code 15: Yên Bái in 2023-2024, Lào Cai in 2025-2026 (the current day's year).
            assertThat(m.value("schoolstats_exam_candidates", "code", "15", "school_year", Y23, "name", "Yên Bái"))
                    .contains((double) 40 + n("S15"));
            assertThat(m.value("schoolstats_exam_candidates", "code", "15", "school_year", Y25, "name", "Lào Cai"))
                    .contains((double) 80 + n("S15") + n("S10"));
            assertThat(m.value("schoolstats_registered_schools", "scope", "province", "code", "15", "name", "Lào Cai"))
                    .contains(2.0);
            // The current day is in 2025-2026: communes show, districts of the old map do not.
            assertThat(m.value("schoolstats_attendance_present", "scope", "commune", "code", "00331"))
                    .contains((double) 70 + n("HN"));
            assertThat(m.find("schoolstats_registered_schools", "code", "008")).isEmpty();
            assertThat(m.find("schoolstats_registered_schools", "code", "02")).isEmpty();
            assertThat(m.value("schoolstats_exam_passed", "scope", "district", "code", "008", "school_year", Y23))
                    .contains((double) 30 + n("HN"));
            assertThat(m.value("schoolstats_cluster_rank", "cluster", "HN-P1", "scope", "commune", "code", "00331",
                    "indicator", "attendance_ratio")).contains(1.0);
            assertThat(m.find("schoolstats_cluster_rank", "cluster", "MOET-C4", "school_year", Y23, "code", "02",
                    "indicator", "pass_ratio:THPT_GRADUATION")).isNotEmpty();
        }
    }

    @Test
    void aYearsRowChangingMovesOnlyThatYear() {
        try (Harness h = new Harness()) {
            scenario().forEach(e -> e.accept(h));
            h.localUnit("00004", Y25, "commune", "01");
            var before23 = h.stats(Scope.DISTRICT, "008", "attendance_day:2024-03-05");
            var province = List.of(h.all(Scope.PROVINCE));

            h.school("HN", Y25, "00004"); // the school moves commune in 2025-2026
            assertThat(h.stats(Scope.COMMUNE, "00331", "attendance_day:2025-10-01")).isNull();
            assertThat(h.stats(Scope.COMMUNE, "00004", "attendance_day:2025-10-01")).containsExactly(70 + n("HN"), 100 + n("HN"), 1, 0);
            assertThat(h.stats(Scope.DISTRICT, "008", "attendance_day:2024-03-05")).isEqualTo(before23);
            assertThat(List.of(h.all(Scope.PROVINCE))).isEqualTo(province);
            assertThat(h.query().registeredSchools(Stage.CLUSTER, "HN-P1", Y25)).isZero();
            assertThat(h.stats(Scope.CLUSTER, "HN-C1", "attendance_day:2024-03-05")).isEqualTo(before23);
        }
    }

    @Test
    void statsTopicsFollowTheScopeOfTheRowInForceWhateverArrivesFirst() {
        try (Harness h = new Harness()) {
            // The school's row and report arrive before the unit's: it is published as a district at first.
            h.province("01", null, "Hà Nội");
            h.school("HN", Y25, "X");
            h.attendance("HN", "2025-10-01", 100, 90, 1);
            h.localUnit("X", Y25, "commune", "01");
            Map<String, String> district = latest(h, Scope.DISTRICT);
            Map<String, String> commune = latest(h, Scope.COMMUNE);
            assertThat(district).doesNotContainKey("X|attendance_day:2025-10-01");
            assertThat(commune).containsKey("X|attendance_day:2025-10-01").containsKey("X|registered:" + Y25);
            assertThat(commune.get("X|attendance_day:2025-10-01")).contains("\"scope\":\"commune\"");

            // A timeless unit corrected from district to commune moves every aggregate of the years it rules.
            h.localUnit("Y", null, "district", "01");
            h.school("S", null, "Y");
            h.attendance("S", "2024-03-05", 10, 9, 1);
            assertThat(latest(h, Scope.DISTRICT)).containsKey("Y|attendance_day:2024-03-05").containsKey("Y|registered");
            h.localUnit("Y", null, "commune", "01");
            assertThat(latest(h, Scope.DISTRICT)).doesNotContainKey("Y|attendance_day:2024-03-05")
                    .doesNotContainKey("Y|registered");
            assertThat(latest(h, Scope.COMMUNE)).containsKey("Y|attendance_day:2024-03-05").containsKey("Y|registered");
        }
    }

    /** The live records of a stats topic, read from its start: key -> JSON. */
    private final Map<Scope, Map<String, String>> seen = new java.util.EnumMap<>(Scope.class);

    private Map<String, String> latest(Harness h, Scope scope) {
        Map<String, String> live = seen.computeIfAbsent(scope, s -> new java.util.TreeMap<>());
        for (var r : h.statsRecords(scope)) {
            if (r.value() == null) {
                live.remove(r.key());
            } else {
                live.put(r.key(), new String(r.value(), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return live;
    }

    @Test
    void deletingAYearsRowFallsBackToTheTimelessRow() {
        try (Harness h = new Harness()) {
            scenario().forEach(e -> e.accept(h));
            h.reference(Topics.SCHOOLS, "HN|" + Y25, null);
            assertThat(h.stats(Scope.COMMUNE, "00331", "attendance_day:2025-10-01")).isNull();
            assertThat(h.stats(Scope.DISTRICT, "008", "attendance_day:2025-10-01")).containsExactly(70 + n("HN"), 100 + n("HN"), 1, 0);
            assertThat(h.query().registeredSchools(Stage.LOCAL, "008", Y25)).isEqualTo(1);
            assertThat(h.query().registeredSchools(Stage.LOCAL, "00331", Y25)).isZero();
            // And a province's year row deleted: the timeless row (the old name) is in force again.
            h.reference(Topics.PROVINCES, "15|" + Y25, null);
            assertThat(h.query().rows(Stage.PROVINCE, "15").orElseThrow().unit(Y25).name()).isEqualTo("Yên Bái");
            assertThat(h.stats(Scope.PROVINCE, "15", "exam:2025-2026:THPT_GRADUATION")[0]).isEqualTo(80 + n("S15") + n("S10"));
        }
    }
}
