package io.schoolstats.topology;

import io.schoolstats.contract.Topics;
import static org.assertj.core.api.Assertions.assertThat;

import io.schoolstats.metrics.StatsMetrics;
import io.schoolstats.query.Ranking;
import io.schoolstats.query.StatsQuery;
import io.schoolstats.query.StoreSource;
import io.schoolstats.query.UnitView;
import io.schoolstats.reference.Scope;
import io.schoolstats.testing.PrometheusText;
import java.time.LocalDate;
import java.util.List;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The read side (queries, ranking, metrics) on the real topology's stores. */
class QueryOnStoresTest {
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
        h.reference(Topics.CLUSTERS, "K|2023-2024", "{\"clusterId\":\"K\",\"name\":\"Cụm K\",\"schoolYear\":\"2023-2024\","
                + "\"scope\":\"district\",\"members\":[\"A\",\"B\",\"C\",\"D\"],\"head\":\"C\"}");
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void equalRatesShareARankAndTheNextIsSkipped() {
        h.attendance("SA", "2024-03-05", 100, 90, 1);   // 0.9
        h.attendance("SB", "2024-03-05", 50, 45, 1);    // 0.9, exactly equal
        h.attendance("SC", "2024-03-05", 100, 95, 1);   // 0.95
        h.attendance("SD", "2024-03-05", 3, 2, 1);      // 0.667

        Ranking.Indicator attendance = Ranking.of(query, "K", "2023-2024").get(0);
        assertThat(attendance.indicator()).isEqualTo("attendance_ratio");
        assertThat(attendance.places()).extracting(Ranking.Place::code, Ranking.Place::rank)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("C", 1), org.assertj.core.groups.Tuple.tuple("A", 2),
                        org.assertj.core.groups.Tuple.tuple("B", 2), org.assertj.core.groups.Tuple.tuple("D", 4));
        assertThat(attendance.places().get(0).head()).isTrue();
        assertThat(attendance.places().get(0).name()).isEqualTo("Quận C");
    }

    @Test
    void metricsFollowTheStoresAndDropWhatIsGone() {
        StatsMetrics metrics = new StatsMetrics(query);
        metrics.refresh(); // no school day yet, so no school year to count registered schools in: nothing, and no failure
        assertThat(new PrometheusText(metrics.text()).find("schoolstats_attendance_present")).isEmpty();
        assertThat(new PrometheusText(metrics.text()).find("schoolstats_registered_schools")).isEmpty();

        h.attendance("SA", "2024-03-05", 100, 90, 1);
        h.attendance("SB", "2024-03-04", 100, 80, 1);
        metrics.refresh();
        PrometheusText m = new PrometheusText(metrics.text());
        assertThat(m.value("schoolstats_registered_schools", "code", "A")).contains(1.0);
        assertThat(m.value("schoolstats_attendance_present", "scope", "district", "code", "A")).contains(90.0);
        // B did not report on the current day: no attendance series, but 0 reporting schools.
        assertThat(m.find("schoolstats_attendance_present", "code", "B")).isEmpty();
        assertThat(m.value("schoolstats_attendance_reporting_schools", "code", "B")).contains(0.0);
        assertThat(m.value("schoolstats_registered_schools", "scope", "cluster", "code", "K")).contains(4.0);
        assertThat(m.value("schoolstats_attendance_school_year_ratio", "scope", "province", "code", "01"))
                .contains(170.0 / 200.0);

        // The frequent refresh of today's series alone: new figures of the day, and the other series kept.
        h.attendance("SB", "2024-03-05", 100, 85, 1);
        metrics.refreshToday();
        m = new PrometheusText(metrics.text());
        assertThat(m.value("schoolstats_attendance_present", "scope", "district", "code", "B")).contains(85.0);
        assertThat(m.value("schoolstats_attendance_present", "scope", "province", "code", "01")).contains(175.0);
        assertThat(m.value("schoolstats_attendance_school_year_ratio", "scope", "province", "code", "01"))
                .contains(170.0 / 200.0); // until the next full refresh

        h.school("SA", null);
        metrics.refresh();
        m = new PrometheusText(metrics.text());
        assertThat(m.find("schoolstats_attendance_present", "code", "A")).isEmpty();
        assertThat(m.find("schoolstats_registered_schools", "code", "A")).isEmpty();
    }

    @Test
    void anotherSchoolYearShowsItsOwnLastSchoolDay() {
        h.attendance("SA", "2024-03-05", 100, 90, 1);
        h.attendance("SA", "2024-03-06", 100, 70, 1);
        h.attendance("SA", "2024-09-10", 100, 99, 1);

        var now = UnitView.render(query, query.shown(Scope.DISTRICT, "A").orElseThrow(), null, null);
        assertThat(now.at("/attendance/date").asText()).isEqualTo("2024-09-10");
        var before = UnitView.render(query, query.shown(Scope.DISTRICT, "A").orElseThrow(), null, "2023-2024");
        assertThat(before.at("/attendance/date").asText()).isEqualTo("2024-03-06");
        assertThat(before.at("/attendance/present").asLong()).isEqualTo(70);
        assertThat(before.at("/attendanceSchoolYear/present").asLong()).isEqualTo(160);
        var day = UnitView.render(query, query.shown(Scope.DISTRICT, "A").orElseThrow(), LocalDate.of(2024, 3, 5), null);
        assertThat(day.at("/attendance/present").asLong()).isEqualTo(90);
        assertThat(query.currentDay()).contains(LocalDate.of(2024, 9, 10));
    }

    @Test
    void theCurrentDayIsNeverAfterTodayInTheDeploymentsTimeZone() {
        h.receivedAt = java.time.Instant.parse("2024-03-05T20:00:00Z"); // already the 6th in Hanoi
        h.attendance("SA", "2024-03-05", 100, 90, 1);
        h.attendance("SA", "2024-03-07", 100, 80, 1); // allowed: the day after submission
        java.time.ZoneId hanoi = io.schoolstats.report.Received.DEFAULT_ZONE;
        h.clock = java.time.Clock.fixed(java.time.Instant.parse("2024-03-05T20:00:00Z"), hanoi);
        StatsQuery today = h.query();
        assertThat(today.currentDay()).contains(LocalDate.of(2024, 3, 5));
        assertThat(UnitView.render(today, today.shown(Scope.DISTRICT, "A").orElseThrow(), null, null)
                .at("/attendance/present").asLong()).isEqualTo(90);
        // The next morning in Hanoi the 7th's reports are today's.
        h.clock = java.time.Clock.fixed(java.time.Instant.parse("2024-03-06T17:30:00Z"), hanoi);
        assertThat(h.query().currentDay()).contains(LocalDate.of(2024, 3, 7));
    }
}
