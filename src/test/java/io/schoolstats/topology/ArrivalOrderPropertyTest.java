package io.schoolstats.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.schoolstats.reference.Scope;
import io.schoolstats.report.ReportType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random interleavings of the same reports and reference updates: whatever the order, the
 * topology's aggregates equal a plain computation from the winning revisions and the final
 * reference data. The model below shares no code with the topology but the period names.
 */
class ArrivalOrderPropertyTest {
    private static final List<String> SCHOOLS = List.of("S1", "S2", "S3", "S4", "S5");
    private static final List<String> DISTRICTS = List.of("D1", "D2", "D3");
    private static final List<String> PROVINCES = List.of("P1", "P2");
    private static final List<String> YEARS = List.of("2023-2024", "2024-2025");
    private static final List<String> DATES = List.of("2024-03-05", "2024-03-06", "2024-09-09", "2024-09-10");

    sealed interface Event permits Attendance, Completion, Exam, SchoolRef, DistrictRef, ProvinceRef, ClusterRef {
    }

    record Attendance(String school, String date, int enrolled, int present, int revision) implements Event {
    }

    record Completion(String school, String year, int assessed, int completed, Integer conductGood, int revision)
            implements Event {
    }

    record Exam(String school, String year, int candidates, int passed, List<Integer> bands, int first, int revision)
            implements Event {
    }

    record SchoolRef(String school, String district) implements Event {
    }

    record DistrictRef(String district, String province) implements Event {
    }

    record ProvinceRef(String province) implements Event {
    }

    record ClusterRef(String id, String year, String scope, List<String> members) implements Event {
    }

    @Property(tries = 60)
    void anyArrivalOrderGivesTheAggregatesOfTheWinningRevisions(@ForAll("events") List<Event> events,
                                                               @ForAll long seed) {
        Random random = new Random(seed);
        for (int round = 0; round < 3; round++) {
            List<Event> order = new ArrayList<>(events);
            Collections.shuffle(order, random);
            try (Harness h = new Harness()) {
                // Flush the outboxes at random points only, so that deltas fold between flushes.
                h.autoFlush = false;
                for (Event e : order) {
                    send(h, e);
                    if (random.nextInt(4) == 0) {
                        h.flushNow();
                    }
                }
                h.flushNow();
                Map<String, List<Long>> actual = new TreeMap<>();
                for (Scope scope : Scope.values()) {
                    h.all(scope).forEach((key, counts) -> actual.put(scope.label() + "|" + key, counts));
                }
                h.all(StoreNames.CLUSTER_MEMBER_STATS).forEach((key, counts) -> actual.put("member|" + key, counts));
                assertThat(actual).as("order %s", order).isEqualTo(model(order));
            }
        }
    }

    @Provide
    Arbitrary<List<Event>> events() {
        Arbitrary<String> school = Arbitraries.of(SCHOOLS);
        Arbitrary<Integer> revision = Arbitraries.integers().between(1, 3);
        Arbitrary<Event> attendance = Combinators.combine(school, Arbitraries.of(DATES),
                Arbitraries.integers().between(0, 50), Arbitraries.doubles().between(0, 1), revision)
                .as((s, d, enrolled, share, rev) -> new Attendance(s, d, enrolled, (int) (enrolled * share), rev));
        Arbitrary<Event> completion = Combinators.combine(school, Arbitraries.of(YEARS),
                Arbitraries.integers().between(0, 30), Arbitraries.doubles().between(0, 1),
                Arbitraries.integers().between(0, 30).injectNull(0.5), revision)
                .as((s, y, assessed, share, conduct, rev) -> new Completion(s, y, assessed, (int) (assessed * share),
                        conduct == null ? null : Math.min(conduct, assessed), rev));
        Arbitrary<Event> exam = Combinators.combine(school, Arbitraries.of(YEARS),
                Arbitraries.integers().between(0, 30), Arbitraries.doubles().between(0, 1),
                Arbitraries.integers().between(0, 3).list().ofSize(10).injectNull(0.5), revision)
                .as((s, y, candidates, share, bands, rev) -> new Exam(s, y, candidates, (int) (candidates * share),
                        bands, candidates / 4, rev));
        Arbitrary<Event> schoolRef = Combinators.combine(school, Arbitraries.of(DISTRICTS).injectNull(0.15))
                .as(SchoolRef::new);
        Arbitrary<Event> districtRef = Combinators.combine(Arbitraries.of(DISTRICTS),
                Arbitraries.of(PROVINCES).injectNull(0.15)).as(DistrictRef::new);
        Arbitrary<Event> provinceRef = Arbitraries.of(PROVINCES).map(ProvinceRef::new);
        Arbitrary<Event> districtCluster = Combinators.combine(Arbitraries.of(YEARS),
                Arbitraries.of(DISTRICTS).set().ofMaxSize(3).injectNull(0.15))
                .as((y, members) -> new ClusterRef("C", y, "district", members == null ? null : List.copyOf(members)));
        Arbitrary<Event> provinceCluster = Combinators.combine(Arbitraries.of(YEARS),
                Arbitraries.of(PROVINCES).set().ofMaxSize(2).injectNull(0.15))
                .as((y, members) -> new ClusterRef("M", y, "province", members == null ? null : List.copyOf(members)));
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(8, attendance), net.jqwik.api.Tuple.of(2, completion),
                        net.jqwik.api.Tuple.of(2, exam), net.jqwik.api.Tuple.of(3, schoolRef),
                        net.jqwik.api.Tuple.of(2, districtRef), net.jqwik.api.Tuple.of(1, provinceRef),
                        net.jqwik.api.Tuple.of(1, districtCluster), net.jqwik.api.Tuple.of(1, provinceCluster))
                .list().ofMinSize(5).ofMaxSize(40);
    }

    private static void send(Harness h, Event event) {
        if (event instanceof Attendance a) {
            h.attendance(a.school(), a.date(), a.enrolled(), a.present(), a.revision());
        } else if (event instanceof Completion c) {
            h.report(ReportType.COMPLETION, String.format("{\"schoolId\":\"%s\",\"schoolYear\":\"%s\",\"level\":\"PRIMARY\","
                    + "\"assessed\":%d,\"completed\":%d,%s\"revision\":%d}", c.school(), c.year(), c.assessed(), c.completed(),
                    c.conductGood() == null ? "" : "\"conductGood\":" + c.conductGood() + ",", c.revision()));
        } else if (event instanceof Exam e) {
            h.report(ReportType.EXAM, String.format("{\"schoolId\":\"%s\",\"schoolYear\":\"%s\",\"exam\":\"THPT_GRADUATION\","
                    + "\"candidates\":%d,\"passed\":%d,%s\"awards\":{\"first\":%d},\"revision\":%d}", e.school(), e.year(),
                    e.candidates(), e.passed(), e.bands() == null ? "" : "\"scoreBands\":" + e.bands() + ",", e.first(),
                    e.revision()));
        } else if (event instanceof SchoolRef s) {
            h.school(s.school(), s.district());
        } else if (event instanceof DistrictRef d) {
            h.district(d.district(), d.province());
        } else if (event instanceof ProvinceRef p) {
            h.province(p.province());
        } else if (event instanceof ClusterRef c) {
            if (c.members() == null) {
                h.deleteCluster(c.id(), c.year());
            } else {
                h.cluster(c.id(), c.year(), c.scope(), c.members().toArray(String[]::new));
            }
        }
    }

    /** The obviously-correct computation: winning revisions, final reference data, plain sums. */
    private static Map<String, List<Long>> model(List<Event> order) {
        Map<String, Event> winning = new LinkedHashMap<>();
        Map<String, Integer> revisions = new HashMap<>();
        Map<String, String> schoolDistrict = new HashMap<>();
        Map<String, String> districtProvince = new HashMap<>();
        Set<String> provinces = new HashSet<>();
        Map<String, ClusterRef> clusters = new LinkedHashMap<>();
        for (Event e : order) {
            String naturalKey = null;
            int revision = 0;
            if (e instanceof Attendance a) {
                naturalKey = a.school() + "|A|" + a.date();
                revision = a.revision();
            } else if (e instanceof Completion c) {
                naturalKey = c.school() + "|C|" + c.year();
                revision = c.revision();
            } else if (e instanceof Exam x) {
                naturalKey = x.school() + "|E|" + x.year();
                revision = x.revision();
            } else if (e instanceof SchoolRef s) {
                putOrRemove(schoolDistrict, s.school(), s.district());
            } else if (e instanceof DistrictRef d) {
                putOrRemove(districtProvince, d.district(), d.province());
            } else if (e instanceof ProvinceRef p) {
                provinces.add(p.province());
            } else if (e instanceof ClusterRef c) {
                if (c.members() == null) {
                    clusters.remove(c.id() + "|" + c.year());
                } else {
                    clusters.put(c.id() + "|" + c.year(), c);
                }
            }
            if (naturalKey != null && revision > revisions.getOrDefault(naturalKey, 0)) {
                revisions.put(naturalKey, revision);
                winning.put(naturalKey, e);
            }
        }

        // District level: straight from the winning reports of registered schools.
        Map<String, Map<String, long[]>> district = new TreeMap<>();
        Map<String, Set<String>> yearReporters = new HashMap<>();
        for (Event e : winning.values()) {
            String school = school(e);
            String d = schoolDistrict.get(school);
            if (d == null) {
                continue;
            }
            if (e instanceof Attendance a) {
                add(district, d, "attendance_day:" + a.date(), a.present(), a.enrolled(), 1);
                String year = yearOf(a.date());
                add(district, d, "attendance_year:" + year, a.present(), a.enrolled(), 1, 0);
                yearReporters.computeIfAbsent(d + "|" + year, k -> new HashSet<>()).add(school);
            } else if (e instanceof Completion c) {
                add(district, d, "completion:" + c.year() + ":PRIMARY", c.assessed(), c.completed(),
                        c.conductGood() == null ? 0 : c.conductGood(), c.conductGood() == null ? 0 : c.assessed());
            } else if (e instanceof Exam x) {
                long[] v = new long[16];
                v[0] = x.candidates();
                v[1] = x.passed();
                for (int i = 0; x.bands() != null && i < 10; i++) {
                    v[2 + i] = x.bands().get(i);
                }
                v[12] = x.first();
                add(district, d, "exam:" + x.year() + ":THPT_GRADUATION", v);
            }
        }
        yearReporters.forEach((key, schools) -> {
            String[] parts = key.split("\\|");
            district.get(parts[0]).get("attendance_year:" + parts[1])[3] = schools.size();
        });
        schoolDistrict.values().forEach(d -> add(district, d, "registered", 1));

        // Province level: the sum of the districts registered in it.
        Map<String, Map<String, long[]>> province = new TreeMap<>();
        district.forEach((d, periods) -> {
            String p = districtProvince.get(d);
            if (p != null) {
                periods.forEach((period, v) -> add(province, p, period, v));
            }
        });

        // Cluster level: the sum of its registered members' aggregates of its school year.
        Map<String, Map<String, long[]>> cluster = new TreeMap<>();
        Map<String, Map<String, long[]>> memberShares = new TreeMap<>();
        for (ClusterRef c : clusters.values()) {
            boolean byDistrict = c.scope().equals("district");
            for (String member : c.members()) {
                boolean registered = byDistrict ? districtProvince.containsKey(member) : provinces.contains(member);
                Map<String, long[]> periods = (byDistrict ? district : province).get(member);
                if (!registered || periods == null) {
                    continue;
                }
                periods.forEach((period, v) -> {
                    String clusterPeriod = null;
                    if (period.equals("registered")) {
                        clusterPeriod = "registered:" + c.year();
                    } else if (period.contains(c.year()) || period.startsWith("attendance_day:")
                            && yearOf(period.substring("attendance_day:".length())).equals(c.year())) {
                        clusterPeriod = period;
                    }
                    if (clusterPeriod != null) {
                        add(cluster, c.id(), clusterPeriod, v);
                        add(memberShares, c.id(), clusterPeriod + "|" + member, v);
                    }
                });
            }
        }

        Map<String, List<Long>> out = new TreeMap<>();
        Map<String, Map<String, Map<String, long[]>>> scopes = Map.of("district", district, "province", province,
                "cluster", cluster, "member", memberShares);
        scopes.forEach((scope, units) -> units.forEach((code, periods) -> periods.forEach((period, v) -> {
            List<Long> values = new ArrayList<>();
            boolean zero = true;
            for (long x : v) {
                values.add(x);
                zero &= x == 0;
            }
            if (!zero) {
                out.put(scope + "|" + code + "|" + period, values);
            }
        })));
        return out;
    }

    private static String school(Event e) {
        if (e instanceof Attendance a) {
            return a.school();
        }
        return e instanceof Completion c ? c.school() : ((Exam) e).school();
    }

    /** A school year starts on 1 September. */
    private static String yearOf(String date) {
        int year = Integer.parseInt(date.substring(0, 4));
        int month = Integer.parseInt(date.substring(5, 7));
        int start = month >= 9 ? year : year - 1;
        return start + "-" + (start + 1);
    }

    private static void add(Map<String, Map<String, long[]>> units, String code, String period, long... values) {
        long[] sum = units.computeIfAbsent(code, k -> new TreeMap<>()).computeIfAbsent(period, k -> new long[values.length]);
        for (int i = 0; i < values.length; i++) {
            sum[i] += values[i];
        }
    }

    private static void putOrRemove(Map<String, String> map, String key, String value) {
        if (value == null) {
            map.remove(key);
        } else {
            map.put(key, value);
        }
    }
}
