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
import java.util.TreeSet;
import io.schoolstats.query.StatsQuery;
import io.schoolstats.stage.Stage;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random interleavings of the same reports and reference updates, on random maps per school
 * year: whatever the order, the figures (as the API and metrics read them) equal a plain
 * computation from the winning revisions and the final reference rows, each school year under
 * the rows in force for it. The model below shares no code with the engine but period names.
 */
class ArrivalOrderPropertyTest {
    private static final List<String> SCHOOLS = List.of("S1", "S2", "S3", "S4", "S5");
    private static final List<String> LOCAL_UNITS = List.of("D1", "D2", "D3");
    /** "D1" is also a district's code: units of different stages may share a code. */
    private static final List<String> PROVINCES = List.of("P1", "D1");
    private static final List<String> YEARS = List.of("2023-2024", "2024-2025", "2025-2026");
    private static final String OLYMPIAD = "OLYMPIAD_30_4";
    /** A built-in code, always counted, and one an operator adds and removes. */
    private static final List<String> EXAM_CODES = List.of("THPT_GRADUATION", OLYMPIAD);
    private static final List<String> DATES = List.of("2024-03-05", "2024-03-06", "2024-09-09", "2025-09-10");

    sealed interface Event permits Attendance, Completion, Exam, SchoolRef, LocalRef, ProvinceRef, ClusterRef, ExamCode {
    }

    /** {@code onTime}: submitted by the report's deadline (the model: a natural key is on time when any of its submissions was). */
    record Attendance(String school, String date, int enrolled, int present, int revision, boolean onTime) implements Event {
    }

    record Completion(String school, String year, int assessed, int completed, Integer conductGood, int revision,
                      boolean onTime) implements Event {
    }

    record Exam(String school, String year, String code, int candidates, int passed, List<Integer> bands, int first,
                int revision, boolean onTime) implements Event {
    }

    /** An operator adds (or removes) an exam code of the catalogue: its reports count only while it is in. */
    record ExamCode(String code, boolean defined) implements Event {
    }

    /** A school's row (timeless when year is null) under a local unit or directly under a province; both null deletes. */
    record SchoolRef(String school, String year, String local, String province) implements Event {
    }

    record LocalRef(String code, String year, String scope, String province) implements Event {
    }

    record ProvinceRef(String province, String year, boolean deleted) implements Event {
    }

    record ClusterRef(String id, String year, String scope, List<String> members) implements Event {
    }

    @Property(tries = 60)
    void anyArrivalOrderGivesTheFiguresOfTheWinningRevisionsUnderEachYearsMap(@ForAll("events") List<Event> events,
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
                assertThat(actual(h)).as("order %s", order).isEqualTo(model(order));
                assertThat(published(h)).as("stats.* of order %s", order).isEqualTo(expectedPublished(h, order));
            }
        }
    }

    @Provide
    Arbitrary<List<Event>> events() {
        Arbitrary<String> school = Arbitraries.of(SCHOOLS);
        Arbitrary<String> year = Arbitraries.of(YEARS).injectNull(0.4);
        // Tens give the revision (1 to 3), parity whether it was submitted on time: each revision early or late.
        Arbitrary<Integer> revision = Arbitraries.integers().between(10, 31);
        Arbitrary<Event> attendance = Combinators.combine(school, Arbitraries.of(DATES),
                Arbitraries.integers().between(0, 50), Arbitraries.doubles().between(0, 1), revision)
                .as((s, d, enrolled, share, rev) -> new Attendance(s, d, enrolled, (int) (enrolled * share), rev / 10,
                        rev % 2 == 0));
        Arbitrary<Event> completion = Combinators.combine(school, Arbitraries.of(YEARS),
                Arbitraries.integers().between(0, 30), Arbitraries.doubles().between(0, 1),
                Arbitraries.integers().between(0, 30).injectNull(0.5), revision)
                .as((s, y, assessed, share, conduct, rev) -> new Completion(s, y, assessed, (int) (assessed * share),
                        conduct == null ? null : Math.min(conduct, assessed), rev / 10, rev % 2 == 0));
        Arbitrary<Event> exam = Combinators.combine(school, Arbitraries.of(YEARS), Arbitraries.of(EXAM_CODES),
                Arbitraries.integers().between(0, 30), Arbitraries.doubles().between(0, 1),
                Arbitraries.integers().between(0, 3).list().ofSize(10).injectNull(0.5), revision)
                .as((s, y, code, candidates, share, bands, rev) -> new Exam(s, y, code, candidates,
                        (int) (candidates * share), bands, candidates / 4, rev / 10, rev % 2 == 0));
        Arbitrary<Event> examCode = Arbitraries.of(true, false).map(defined -> new ExamCode(OLYMPIAD, defined));
        Arbitrary<Event> schoolRef = Combinators.combine(school, year, Arbitraries.integers().between(0, 9),
                        Arbitraries.of(LOCAL_UNITS), Arbitraries.of(PROVINCES))
                .as((s, y, dice, local, province) -> dice == 0 ? new SchoolRef(s, y, null, null)
                        : dice <= 2 ? new SchoolRef(s, y, null, province) : new SchoolRef(s, y, local, null));
        Arbitrary<Event> localRef = Combinators.combine(Arbitraries.of(LOCAL_UNITS), year,
                Arbitraries.of("district", "commune"), Arbitraries.of(PROVINCES).injectNull(0.15)).as(LocalRef::new);
        Arbitrary<Event> provinceRef = Combinators.combine(Arbitraries.of(PROVINCES), year,
                Arbitraries.integers().between(0, 5)).as((p, y, dice) -> new ProvinceRef(p, y, dice == 0));
        Arbitrary<Event> localCluster = Combinators.combine(Arbitraries.of(YEARS), Arbitraries.of("district", "commune"),
                Arbitraries.of(LOCAL_UNITS).set().ofMaxSize(3).injectNull(0.15))
                .as((y, scope, members) -> new ClusterRef("C", y, scope, members == null ? null : List.copyOf(members)));
        Arbitrary<Event> provinceCluster = Combinators.combine(Arbitraries.of(YEARS),
                Arbitraries.of(PROVINCES).set().ofMaxSize(2).injectNull(0.15))
                .as((y, members) -> new ClusterRef("M", y, "province", members == null ? null : List.copyOf(members)));
        // A cluster whose scope changes between rows: its members move between the local and province stages.
        Arbitrary<Event> anyCluster = Combinators.combine(Arbitraries.of(YEARS), Arbitraries.of("district", "commune", "province"),
                Arbitraries.of("D1", "D2", "P1").set().ofMaxSize(3).injectNull(0.15))
                .as((y, scope, members) -> new ClusterRef("K", y, scope, members == null ? null : List.copyOf(members)));
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(8, attendance), net.jqwik.api.Tuple.of(2, completion),
                        net.jqwik.api.Tuple.of(2, exam), net.jqwik.api.Tuple.of(4, schoolRef),
                        net.jqwik.api.Tuple.of(3, localRef), net.jqwik.api.Tuple.of(2, provinceRef),
                        net.jqwik.api.Tuple.of(1, localCluster), net.jqwik.api.Tuple.of(1, provinceCluster),
                        net.jqwik.api.Tuple.of(1, anyCluster), net.jqwik.api.Tuple.of(1, examCode))
                .list().ofMinSize(5).ofMaxSize(45);
    }

    private static void send(Harness h, Event event) {
        if (event instanceof Attendance a) {
            // The default deadline: 09:00 of the day, in Vietnam.
            h.report(ReportType.ATTENDANCE, a.school(), String.format(
                    "{\"schoolId\":\"%s\",\"date\":\"%s\",\"enrolled\":%d,\"present\":%d,\"revision\":%d,"
                            + "\"submittedAt\":\"%sT%s+07:00\"}", a.school(), a.date(), a.enrolled(), a.present(),
                    a.revision(), a.date(), a.onTime() ? "08:59:00" : "09:01:00"));
        } else if (event instanceof Completion c) {
            h.report(ReportType.COMPLETION, String.format("{\"schoolId\":\"%s\",\"schoolYear\":\"%s\",\"level\":\"PRIMARY\","
                    + "\"assessed\":%d,\"completed\":%d,%s\"revision\":%d,\"submittedAt\":\"%s\"}", c.school(), c.year(),
                    c.assessed(), c.completed(), c.conductGood() == null ? "" : "\"conductGood\":" + c.conductGood() + ",",
                    c.revision(), yearSubmission(c.year(), c.onTime())));
        } else if (event instanceof Exam e) {
            h.report(ReportType.EXAM, String.format("{\"schoolId\":\"%s\",\"schoolYear\":\"%s\",\"exam\":\"%s\","
                    + "\"candidates\":%d,\"passed\":%d,%s\"awards\":{\"first\":%d},\"revision\":%d,\"submittedAt\":\"%s\"}",
                    e.school(), e.year(), e.code(), e.candidates(), e.passed(),
                    e.bands() == null ? "" : "\"scoreBands\":" + e.bands() + ",", e.first(), e.revision(),
                    yearSubmission(e.year(), e.onTime())));
        } else if (event instanceof SchoolRef s) {
            if (s.province() != null) {
                h.schoolUnderProvince(s.school(), s.year(), s.province());
            } else {
                h.school(s.school(), s.year(), s.local());
            }
        } else if (event instanceof LocalRef d) {
            h.localUnit(d.code(), d.year(), d.scope(), d.province());
        } else if (event instanceof ProvinceRef p) {
            h.province(p.province(), p.year(), p.deleted() ? null : "Tỉnh " + p.province());
        } else if (event instanceof ExamCode x) {
            h.reference(io.schoolstats.contract.Topics.EXAMS, x.code(),
                    x.defined() ? "{\"code\":\"" + x.code() + "\",\"name\":\"Olympic\"}" : null);
        } else if (event instanceof ClusterRef c) {
            if (c.members() == null) {
                h.deleteCluster(c.id(), c.year());
            } else {
                h.cluster(c.id(), c.year(), c.scope(), c.members().toArray(String[]::new));
            }
        }
    }

    /** A submission in the school year's second calendar year: in January (on time) or in August (after both deadlines). */
    private static String yearSubmission(String year, boolean onTime) {
        return year.substring(5) + (onTime ? "-01-15T08:00:00+07:00" : "-08-15T08:00:00+07:00");
    }

    /**
     * The engine's figures as users read them: every aggregate of a school year, registered
     * schools per school year (through the query the API and metrics use), and members' shares.
     */
    private static Map<String, List<Long>> actual(Harness h) {
        Map<String, List<Long>> actual = new TreeMap<>();
        StatsQuery query = h.query();
        for (Scope scope : List.of(Scope.DISTRICT, Scope.PROVINCE, Scope.CLUSTER)) {
            String label = scope == Scope.DISTRICT ? "local" : scope.label();
            Set<String> codes = new TreeSet<>();
            h.all(scope).forEach((key, counts) -> {
                String[] parts = key.split("\\|");
                codes.add(parts[0]);
                if (!parts[1].startsWith("registered")) {
                    actual.put(label + "|" + key, counts);
                }
            });
            for (String code : codes) {
                for (String year : YEARS) {
                    long registered = query.registeredSchools(Stage.of(scope), code, year);
                    if (registered != 0) {
                        actual.put(label + "|" + code + "|registered:" + year, List.of(registered));
                    }
                }
            }
        }
        h.memberShares().forEach((key, counts) -> actual.put("member|" + key, counts));
        return actual;
    }

    /** The latest record of every key of {@code stats.*} still alive: "topic|key" -> counts. */
    private static Map<String, List<Long>> published(Harness h) {
        Map<String, List<Long>> out = new TreeMap<>();
        for (Scope scope : Scope.values()) {
            for (var record : h.statsRecords(scope)) {
                String key = scope.label() + "|" + record.key();
                if (record.value() == null) {
                    out.remove(key);
                } else {
                    List<Long> counts = new ArrayList<>();
                    Harness.json(record.value()).get("counts").forEach(c -> counts.add(c.asLong()));
                    out.put(key, counts);
                }
            }
        }
        return out;
    }

    /**
     * What {@code stats.*} must hold: every aggregate of the stores, on the topic of the unit's own
     * scope in the aggregate's school year (a local unit with no row in force: district).
     */
    private static Map<String, List<Long>> expectedPublished(Harness h, List<Event> order) {
        Map<String, LocalRef> localRows = new HashMap<>();
        for (Event e : order) {
            if (e instanceof LocalRef d) {
                putOrRemove(localRows, d.code() + "|" + orEmpty(d.year()), d.province() == null ? null : d);
            }
        }
        Map<String, List<Long>> out = new TreeMap<>();
        h.all(Scope.DISTRICT).forEach((key, counts) -> {
            String[] parts = key.split("\\|");
            String period = parts[1];
            LocalRef row = period.equals("registered") ? localRows.get(parts[0] + "|")
                    : inForce(localRows, parts[0], yearOfPeriod(period));
            out.put((row == null ? "district" : row.scope()) + "|" + key, counts);
        });
        h.all(Scope.PROVINCE).forEach((key, counts) -> out.put("province|" + key, counts));
        h.all(Scope.CLUSTER).forEach((key, counts) -> out.put("cluster|" + key, counts));
        return out;
    }

    /** The obviously-correct computation: winning revisions, final reference rows, plain sums per school year. */
    private static Map<String, List<Long>> model(List<Event> order) {
        Map<String, Event> winning = new LinkedHashMap<>();
        Map<String, Integer> revisions = new HashMap<>();
        Map<String, SchoolRef> schoolRows = new HashMap<>();     // school|year ("" timeless)
        Map<String, LocalRef> localRows = new HashMap<>();       // code|year
        Set<String> provinceRows = new HashSet<>();              // code|year
        Map<String, ClusterRef> clusters = new LinkedHashMap<>();
        Set<String> catalogue = new HashSet<>(Set.of("THPT_GRADUATION"));
        Set<String> onTime = new HashSet<>(); // natural keys with a submission by the deadline, winning or not
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
                naturalKey = x.school() + "|E|" + x.year() + "|" + x.code();
                revision = x.revision();
            } else if (e instanceof SchoolRef s) {
                putOrRemove(schoolRows, s.school() + "|" + orEmpty(s.year()), s.local() == null && s.province() == null ? null : s);
            } else if (e instanceof LocalRef d) {
                putOrRemove(localRows, d.code() + "|" + orEmpty(d.year()), d.province() == null ? null : d);
            } else if (e instanceof ProvinceRef p) {
                if (p.deleted()) {
                    provinceRows.remove(p.province() + "|" + orEmpty(p.year()));
                } else {
                    provinceRows.add(p.province() + "|" + orEmpty(p.year()));
                }
            } else if (e instanceof ExamCode x) {
                if (x.defined()) {
                    catalogue.add(x.code());
                } else {
                    catalogue.remove(x.code());
                }
            } else if (e instanceof ClusterRef c) {
                putOrRemove(clusters, c.id() + "|" + c.year(), c.members() == null ? null : c);
            }
            if (naturalKey != null && (e instanceof Attendance a && a.onTime() || e instanceof Completion c && c.onTime()
                    || e instanceof Exam x && x.onTime())) {
                onTime.add(naturalKey);
            }
            if (naturalKey != null && revision > revisions.getOrDefault(naturalKey, 0)) {
                revisions.put(naturalKey, revision);
                winning.put(naturalKey, e);
            }
        }

        // Local units and schools directly under a province: from the winning reports of the schools in force.
        Map<String, Map<String, long[]>> local = new TreeMap<>();
        Map<String, Map<String, long[]>> direct = new TreeMap<>(); // province -> what its own schools add
        Map<String, Set<String>> yearReporters = new HashMap<>();
        for (Map.Entry<String, Event> w : winning.entrySet()) {
            Event e = w.getValue();
            int early = onTime.contains(w.getKey()) ? 1 : 0;
            String school = school(e);
            String year = e instanceof Attendance a ? yearOf(a.date()) : e instanceof Completion c ? c.year() : ((Exam) e).year();
            SchoolRef row = inForce(schoolRows, school, year);
            if (row == null || e instanceof Exam x && !catalogue.contains(x.code())) {
                continue;
            }
            Map<String, Map<String, long[]>> units = row.local() != null ? local : direct;
            String unit = row.local() != null ? row.local() : row.province();
            if (e instanceof Attendance a) {
                add(units, unit, "attendance_day:" + a.date(), a.present(), a.enrolled(), 1, early);
                add(units, unit, "attendance_year:" + year, a.present(), a.enrolled(), 1, 0, early);
                yearReporters.computeIfAbsent((units == local ? "L" : "P") + "|" + unit + "|" + year, k -> new HashSet<>())
                        .add(school);
            } else if (e instanceof Completion c) {
                add(units, unit, "completion:" + c.year() + ":PRIMARY", c.assessed(), c.completed(),
                        c.conductGood() == null ? 0 : c.conductGood(), c.conductGood() == null ? 0 : c.assessed(), 1, early);
            } else if (e instanceof Exam x) {
                long[] v = new long[18];
                v[0] = x.candidates();
                v[1] = x.passed();
                for (int i = 0; x.bands() != null && i < 10; i++) {
                    v[2 + i] = x.bands().get(i);
                }
                v[12] = x.first();
                v[16] = 1;
                v[17] = early;
                add(units, unit, "exam:" + x.year() + ":" + x.code(), v);
            }
        }
        yearReporters.forEach((key, schools) -> {
            String[] parts = key.split("\\|");
            (parts[0].equals("L") ? local : direct).get(parts[1]).get("attendance_year:" + parts[2])[3] = schools.size();
        });
        for (String school : SCHOOLS) {
            for (String year : YEARS) {
                SchoolRef row = inForce(schoolRows, school, year);
                if (row != null) {
                    add(row.local() != null ? local : direct, row.local() != null ? row.local() : row.province(),
                            "registered:" + year, 1);
                }
            }
        }

        // Provinces: their own schools, plus the local units in force in them for each period's school year.
        Map<String, Map<String, long[]>> province = new TreeMap<>();
        direct.forEach((p, periods) -> periods.forEach((period, v) -> add(province, p, period, v)));
        local.forEach((d, periods) -> periods.forEach((period, v) -> {
            LocalRef row = inForce(localRows, d, yearOfPeriod(period));
            if (row != null) {
                add(province, row.province(), period, v);
            }
        }));

        // Clusters: the sum of the members in force for the cluster's school year, of that year.
        Map<String, Map<String, long[]>> cluster = new TreeMap<>();
        Map<String, Map<String, long[]>> memberShares = new TreeMap<>();
        for (ClusterRef c : clusters.values()) {
            boolean byProvince = c.scope().equals("province");
            for (String member : c.members()) {
                boolean inForce = byProvince ? provinceRows.contains(member + "|" + c.year()) || provinceRows.contains(member + "|")
                        : inForce(localRows, member, c.year()) != null;
                Map<String, long[]> periods = (byProvince ? province : local).get(member);
                if (!inForce || periods == null) {
                    continue;
                }
                periods.forEach((period, v) -> {
                    if (yearOfPeriod(period).equals(c.year())) {
                        add(cluster, c.id(), period, v);
                        add(memberShares, c.id(), period + "|" + member, v);
                    }
                });
            }
        }

        Map<String, List<Long>> out = new TreeMap<>();
        Map<String, Map<String, Map<String, long[]>>> scopes = Map.of("local", local, "province", province,
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

    /** The row in force for a school year: the year's, else the timeless one. */
    private static <R> R inForce(Map<String, R> rows, String id, String year) {
        R row = rows.get(id + "|" + year);
        return row != null ? row : rows.get(id + "|");
    }

    private static String school(Event e) {
        if (e instanceof Attendance a) {
            return a.school();
        }
        return e instanceof Completion c ? c.school() : ((Exam) e).school();
    }

    /** The school year in a period name: attendance_day:2024-03-05, attendance_year:2023-2024, completion:2023-2024:X ... */
    private static String yearOfPeriod(String period) {
        String rest = period.substring(period.indexOf(':') + 1);
        return period.startsWith("attendance_day:") ? yearOf(rest) : rest.substring(0, 9);
    }

    /** A school year starts on 1 September. */
    private static String yearOf(String date) {
        int year = Integer.parseInt(date.substring(0, 4));
        int month = Integer.parseInt(date.substring(5, 7));
        int start = month >= 9 ? year : year - 1;
        return start + "-" + (start + 1);
    }

    private static String orEmpty(String year) {
        return year == null ? "" : year;
    }

    private static void add(Map<String, Map<String, long[]>> units, String code, String period, long... values) {
        long[] sum = units.computeIfAbsent(code, k -> new TreeMap<>()).computeIfAbsent(period, k -> new long[values.length]);
        for (int i = 0; i < values.length; i++) {
            sum[i] += values[i];
        }
    }

    private static <V> void putOrRemove(Map<String, V> map, String key, V value) {
        if (value == null) {
            map.remove(key);
        } else {
            map.put(key, value);
        }
    }
}
