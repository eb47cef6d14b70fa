package io.schoolstats.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.schoolstats.query.StatsQuery;
import io.schoolstats.stage.Stage;
import io.schoolstats.stats.Aggregate;
import io.schoolstats.reference.Scope;
import io.schoolstats.stats.Kind;
import io.schoolstats.stats.Period;
import io.schoolstats.testing.KafkaBroker;
import io.schoolstats.testing.KafkaBroker.Broker;
import io.schoolstats.testing.Reports;
import io.schoolstats.testing.RunningService;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stops {@code serve} in the middle of a stream and starts it again on the same state: every
 * aggregate must end exact, with nothing lost and nothing counted twice (a school's school year
 * too: its days after the restart are days, not another reporting school).
 */
@ExtendWith(KafkaBroker.class)
class RestartTest {
    private record Sent(String school, String date, int enrolled, int present, int revision) {
    }

    @Test
    void aggregatesAreExactAfterAStopMidStream(Broker broker, @TempDir Path state) {
        String t = "R" + UUID.randomUUID().toString().substring(0, 6);
        Random random = new Random(7);
        List<String> districts = List.of(t + "-D1", t + "-D2", t + "-D3");
        Map<String, String> schoolDistrict = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            schoolDistrict.put(t + "-S" + i, districts.get(i % 3));
        }
        List<Sent> first = new ArrayList<>();
        List<Sent> second = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            String school = t + "-S" + random.nextInt(30);
            String date = LocalDate.of(2024, 2, 1).plusDays(random.nextInt(30)).toString();
            int enrolled = 100 + random.nextInt(100);
            Sent sent = new Sent(school, date, enrolled, random.nextInt(enrolled + 1), 1 + random.nextInt(3));
            (i < 700 ? first : second).add(sent);
        }

        String appId = "restart-" + t;
        try (Reports kafka = new Reports(broker.withTopics().bootstrapServers())) {
            kafka.province(t + "-P", "Tỉnh khởi động lại");
            districts.forEach(d -> kafka.district(d, "Quận " + d, t + "-P"));
            schoolDistrict.forEach(kafka::school);
            kafka.cluster(t + "-C", "Cụm khởi động lại", "2023-2024", "district", districts.get(0),
                    districts.get(0), districts.get(1));
            first.forEach(s -> kafka.attendance(s.school(), s.date(), s.enrolled(), s.present(), s.revision()));
            kafka.flush();

            try (RunningService app = new RunningService(broker.bootstrapServers(), appId, state)) {
                StatsQuery query = app.service().query();
                // Stop as soon as some, not all, of the work is done.
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                        .until(() -> !query.all(Stage.PROVINCE, t + "-P", Kind.ATTENDANCE_DAY, null).isEmpty());
            }
            // While it is down: more reports, and a school moves.
            second.forEach(s -> kafka.attendance(s.school(), s.date(), s.enrolled(), s.present(), s.revision()));
            kafka.school(t + "-S0", districts.get(2));
            schoolDistrict.put(t + "-S0", districts.get(2));
            kafka.flush();

            Map<String, long[]> expected = expected(first, second, schoolDistrict, districts, t);
            try (RunningService app = new RunningService(broker.bootstrapServers(), appId, state)) {
                StatsQuery query = app.service().query();
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .untilAsserted(() -> assertThat(actual(query, districts, t)).isEqualTo(asLists(expected)));
            }
        }
    }

    /**
     * Winning revisions (first arrival wins a tie), then plain sums per district, province and
     * cluster: each day (present, enrolled, reporting schools, on-time schools), and the school year
     * (present, enrolled, school days, reporting schools, on-time days). Every report is years late.
     */
    private static Map<String, long[]> expected(List<Sent> first, List<Sent> second, Map<String, String> schoolDistrict,
                                                List<String> districts, String t) {
        Map<String, Sent> winning = new HashMap<>();
        List<Sent> all = new ArrayList<>(first);
        all.addAll(second);
        for (Sent s : all) {
            Sent current = winning.get(s.school() + "|" + s.date());
            if (current == null || s.revision() > current.revision()) {
                winning.put(s.school() + "|" + s.date(), s);
            }
        }
        Map<String, long[]> out = new TreeMap<>();
        Map<String, java.util.Set<String>> reporting = new HashMap<>();
        for (Sent s : winning.values()) {
            String district = schoolDistrict.get(s.school());
            List<String> units = new ArrayList<>(List.of("district|" + district, "province|" + t + "-P"));
            if (district.equals(districts.get(0)) || district.equals(districts.get(1))) {
                units.add("cluster|" + t + "-C");
            }
            for (String unit : units) {
                long[] v = out.computeIfAbsent(unit + "|" + s.date(), k -> new long[4]); // on time: 0, every report is years late
                v[0] += s.present();
                v[1] += s.enrolled();
                v[2] += 1;
                long[] year = out.computeIfAbsent(unit + "|2023-2024", k -> new long[5]);
                year[0] += s.present();
                year[1] += s.enrolled();
                year[2] += 1;
                if (reporting.computeIfAbsent(unit, k -> new java.util.HashSet<>()).add(s.school())) {
                    year[3] += 1;
                }
            }
        }
        return out;
    }

    private static Map<String, List<Long>> actual(StatsQuery query, List<String> districts, String t) {
        Map<String, long[]> out = new TreeMap<>();
        List<String[]> units = new ArrayList<>();
        districts.forEach(d -> units.add(new String[] {"district", d}));
        units.add(new String[] {"province", t + "-P"});
        units.add(new String[] {"cluster", t + "-C"});
        for (String[] unit : units) {
            Map<Period, Aggregate> days = query.all(Stage.of(Scope.fromLabel(unit[0]).orElseThrow()), unit[1],
                    Kind.ATTENDANCE_DAY, null);
            days.forEach((p, v) -> out.put(unit[0] + "|" + unit[1] + "|" + p.date(), v.counts()));
            query.all(Stage.of(Scope.fromLabel(unit[0]).orElseThrow()), unit[1], Kind.ATTENDANCE_YEAR, null)
                    .forEach((p, v) -> out.put(unit[0] + "|" + unit[1] + "|" + p.schoolYear(), v.counts()));
        }
        return asLists(out);
    }

    private static Map<String, List<Long>> asLists(Map<String, long[]> map) {
        Map<String, List<Long>> out = new TreeMap<>();
        map.forEach((k, v) -> out.put(k, java.util.Arrays.stream(v).boxed().toList()));
        return out;
    }
}
