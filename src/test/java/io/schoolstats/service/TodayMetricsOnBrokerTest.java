package io.schoolstats.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.schoolstats.metrics.StatsMetrics;
import io.schoolstats.query.StatsQuery;
import io.schoolstats.query.StoreSource;
import io.schoolstats.testing.KafkaBroker;
import io.schoolstats.testing.KafkaBroker.Broker;
import io.schoolstats.testing.PrometheusText;
import io.schoolstats.testing.Reports;
import io.schoolstats.testing.RunningService;
import io.schoolstats.topology.KeyPartition;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The frequent refresh of today's series looks each unit up in the store of the one task that
 * owns it: on a real broker, with units in every partition, every unit's new figures must show
 * (a wrong partition would leave them out, or stale).
 */
@ExtendWith(KafkaBroker.class)
class TodayMetricsOnBrokerTest {
    private static final String T = "TM" + UUID.randomUUID().toString().substring(0, 5);
    private static final int PARTITIONS = 4;

    @Test
    void todaysSeriesOfUnitsInEveryPartition(Broker broker, @TempDir Path state) {
        List<String> districts = new ArrayList<>();
        Set<Integer> partitions = new TreeSet<>();
        for (int i = 0; partitions.size() < PARTITIONS || districts.size() < 8; i++) {
            String district = T + "-D" + i;
            districts.add(district);
            partitions.add(KeyPartition.of(district, PARTITIONS));
        }
        try (RunningService service = new RunningService(broker.bootstrapServers(), "today-" + T, state, PARTITIONS,
                Map.of());
             Reports reports = new Reports(broker.bootstrapServers())) {
            reports.province(T + "-P", "Tỉnh");
            for (String d : districts) {
                reports.district(d, "Huyện " + d, T + "-P").school(d + "-S", d);
            }
            reports.flush();
            for (String d : districts) {
                reports.attendance(d + "-S", "2024-03-05", 100, 50, 1);
            }
            reports.flush();
            StatsMetrics metrics = new StatsMetrics(new StatsQuery(StoreSource.of(service.service().streams(),
                    PARTITIONS), Clock.systemDefaultZone()));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                metrics.refresh();
                PrometheusText m = new PrometheusText(metrics.text());
                for (String d : districts) {
                    assertThat(m.value("schoolstats_attendance_present", "code", d)).as(d).contains(50.0);
                }
            });

            // Corrections of the same day: only the today refresh runs from here on.
            for (int i = 0; i < districts.size(); i++) {
                reports.attendance(districts.get(i) + "-S", "2024-03-05", 100, 60 + i, 2);
            }
            reports.flush();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                metrics.refreshToday();
                PrometheusText m = new PrometheusText(metrics.text());
                for (int i = 0; i < districts.size(); i++) {
                    assertThat(m.value("schoolstats_attendance_present", "code", districts.get(i)))
                            .as(districts.get(i)).contains(60.0 + i);
                    assertThat(m.value("schoolstats_registered_schools", "code", districts.get(i))).contains(1.0);
                }
                assertThat(m.value("schoolstats_attendance_present", "scope", "province", "code", T + "-P"))
                        .contains(districts.size() * 60.0 + districts.size() * (districts.size() - 1) / 2.0);
            });
        }
    }
}
