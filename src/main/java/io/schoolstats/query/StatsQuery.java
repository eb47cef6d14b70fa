package io.schoolstats.query;

import io.schoolstats.reference.Cluster;
import io.schoolstats.reference.EmulationScheme;
import io.schoolstats.reference.Scope;
import io.schoolstats.report.AttendanceReport;
import io.schoolstats.report.CompletionReport;
import io.schoolstats.report.ExamReport;
import io.schoolstats.report.Level;
import io.schoolstats.report.Report;
import io.schoolstats.report.ReportType;
import io.schoolstats.report.SchoolYear;
import io.schoolstats.stage.ClusterStage;
import io.schoolstats.stage.SchoolStage;
import io.schoolstats.stage.Stage;
import io.schoolstats.stage.StoreKeys;
import io.schoolstats.stage.StoreKeys.MemberShare;
import io.schoolstats.stage.StoreKeys.Row;
import io.schoolstats.stage.StoreKeys.UnitPeriod;
import io.schoolstats.stage.Target;
import io.schoolstats.stage.UnitInput.Member;
import io.schoolstats.stage.UnitRow;
import io.schoolstats.stage.UnitStage;
import io.schoolstats.stats.Aggregate;
import io.schoolstats.stats.Deadlines;
import io.schoolstats.stats.Kind;
import io.schoolstats.stats.Measure;
import io.schoolstats.stats.Period;
import io.schoolstats.topology.KeyPartition;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntFunction;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads aggregates and reference rows out of this instance's state stores: the one place the
 * metrics exporter and the HTTP API get their figures from. It reads the stores through the
 * engine's typed keys ({@link StoreKeys}) and never formats a key itself.
 */
public final class StatsQuery {
    private final StoreSource stores;
    private final Clock clock;
    private volatile LocalDate othersLatestDay;

    /** @param clock today's date in the deployment's time zone comes from it */
    public StatsQuery(StoreSource stores, Clock clock) {
        this.stores = stores;
        this.clock = clock;
    }

    /**
     * The current school day (CONTRACT 2b): the latest attendance date that has reports and is
     * not after today in the deployment's time zone. A report dated tomorrow (allowed: a school
     * may be a time zone or a clock tick ahead) shows from tomorrow on.
     */
    public Optional<LocalDate> currentDay() {
        Optional<LocalDate> local = localCurrentDay();
        LocalDate others = othersLatestDay;
        if (others == null || others.isAfter(LocalDate.now(clock))) {
            return local;
        }
        return local.isPresent() && !others.isAfter(local.get()) ? local : Optional.of(others);
    }

    /**
     * What the other instances of the application told of their latest school day (the service
     * asks them every second); null when there are none. With it, every instance shows the same
     * current day, whichever tasks it runs.
     */
    public void othersLatestDay(LocalDate day) {
        this.othersLatestDay = day;
    }

    /** The latest attendance date, not after today, among this instance's own school tasks. */
    public Optional<LocalDate> localCurrentDay() {
        String today = LocalDate.now(clock).toString();
        String latest = null;
        ReadOnlyKeyValueStore<String, String> store = stores.store(SchoolStage.ATTENDANCE_DAYS);
        try (KeyValueIterator<String, String> it = store.range(null, today)) {
            while (it.hasNext()) {
                String day = it.next().key;
                if (latest == null || day.compareTo(latest) > 0) {
                    latest = day;
                }
            }
        }
        return Optional.ofNullable(latest).map(LocalDate::parse);
    }

    /**
     * True when the exam code is in the catalogue: built in, or added by an operator on
     * reference.exams. Every school task holds the whole catalogue (each hears of every change),
     * so this instance's tasks answer for all.
     */
    public boolean examDefined(String code) {
        return examDefined(stores.store(SchoolStage.EXAM_CATALOGUE), code);
    }

    private static boolean examDefined(ReadOnlyKeyValueStore<String, String> catalogue, String code) {
        return io.schoolstats.reference.Exam.BUILT_IN.containsKey(code) || catalogue.get(code) != null;
    }

    /** The school year of the current day, if any. */
    public Optional<String> currentSchoolYear() {
        return currentDay().map(SchoolYear::of);
    }

    /** Every district or commune ({@link Stage#LOCAL}) or province with a row on this instance. */
    public List<UnitRows> units(Stage stage) {
        Map<String, UnitRows> out = new TreeMap<>();
        ReadOnlyKeyValueStore<Row, UnitRow> store = stores.store(UnitStage.rowsStore(stage));
        try (KeyValueIterator<Row, UnitRow> it = store.all()) {
            it.forEachRemaining(e -> add(out, stage, e));
        }
        return new ArrayList<>(out.values());
    }

    /** A unit's rows, if it has any on this instance. */
    public Optional<UnitRows> rows(Stage stage, String code) {
        Map<String, UnitRows> out = new TreeMap<>();
        scan(stores.<Row, UnitRow>store(UnitStage.rowsStore(stage)), Row.prefix(code)).forEach(e -> add(out, stage, e));
        return Optional.ofNullable(out.get(code));
    }

    private static void add(Map<String, UnitRows> out, Stage stage, KeyValue<Row, UnitRow> e) {
        UnitRows rows = out.computeIfAbsent(e.key.code(), c -> new UnitRows(stage, c, null, new TreeMap<>()));
        if (e.key.schoolYear() == null) {
            out.put(e.key.code(), new UnitRows(stage, e.key.code(), e.value, rows.years()));
        } else {
            rows.years().put(e.key.schoolYear(), e.value);
        }
    }

    /** Every cluster id on this instance, with its rows by school year (oldest first). */
    public Map<String, TreeMap<String, Cluster>> clusters() {
        Map<String, TreeMap<String, Cluster>> out = new TreeMap<>();
        ReadOnlyKeyValueStore<Row, Cluster> store = stores.store(ClusterStage.ROWS);
        try (KeyValueIterator<Row, Cluster> it = store.all()) {
            it.forEachRemaining(e -> out.computeIfAbsent(e.key.code(), c -> new TreeMap<>()).put(e.key.schoolYear(), e.value));
        }
        return out;
    }

    /** A cluster's rows by school year, oldest first. */
    public TreeMap<String, Cluster> clusterYears(String clusterId) {
        TreeMap<String, Cluster> years = new TreeMap<>();
        scan(stores.<Row, Cluster>store(ClusterStage.ROWS), Row.prefix(clusterId))
                .forEach(e -> years.put(e.key.schoolYear(), e.value));
        return years;
    }

    /** A cluster's scoring schemes by school year, oldest first. */
    public TreeMap<String, EmulationScheme> schemes(String clusterId) {
        TreeMap<String, EmulationScheme> years = new TreeMap<>();
        scan(stores.<Row, EmulationScheme>store(ClusterStage.SCHEMES), Row.prefix(clusterId))
                .forEach(e -> {
                    if (e.key.code().equals(clusterId)) {
                        years.put(e.key.schoolYear(), e.value);
                    }
                });
        return years;
    }

    /**
     * Evaluators' winning scores of a cluster's school year, in hundredths: member -> criterion ->
     * points (whether they still fit the scheme, {@link League} decides).
     */
    public Map<String, Map<String, Long>> scores(String clusterId, String schoolYear) {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        scan(stores.<StoreKeys.Score, long[]>store(ClusterStage.SCORES), StoreKeys.Score.prefix(clusterId, schoolYear))
                .forEach(e -> {
                    if (e.key.clusterId().equals(clusterId) && e.key.schoolYear().equals(schoolYear)) {
                        out.computeIfAbsent(e.key.member(), m -> new TreeMap<>()).put(e.key.criterion(), e.value[1]);
                    }
                });
        return out;
    }

    /** One aggregate; null when there is none. */
    public Aggregate get(Stage stage, String code, Period period) {
        long[] counts = stores.<UnitPeriod, long[]>store(UnitStage.statsStore(stage)).get(new UnitPeriod(code, period));
        return counts == null ? null : new Aggregate(period, counts);
    }

    /**
     * Reads one stage's aggregates from the tasks that own their units, each task's store looked
     * up once for all the reads ({@link StoreSource#taskStore}), where {@link #get} asks every
     * task's store in turn and looks them all up on every read: for a reader that looks up many
     * units in a short while (the metrics' today refresh, every unit five times a second).
     */
    public Owners owners(Stage stage) {
        return new Owners(UnitStage.statsStore(stage));
    }

    /** See {@link #owners}: use it for one pass over the units, then drop it. */
    public final class Owners {
        private final String store;
        /** Per partition: its task's store, or the InvalidStateStoreException its lookup threw. */
        private final Map<Integer, Object> tasks = new HashMap<>();

        private Owners(String store) {
            this.store = store;
        }

        /**
         * One aggregate from the task that owns the unit; null when there is none.
         *
         * @throws InvalidStateStoreException when this instance did not run that task when first
         *                                    asked, or it has left since
         */
        public Aggregate get(String code, Period period) {
            int partition = KeyPartition.of(code, stores.partitions());
            Object task = tasks.computeIfAbsent(partition, p -> {
                try {
                    return stores.<UnitPeriod, long[]>taskStore(store, p);
                } catch (InvalidStateStoreException e) {
                    return e; // not looked up again for each of its units
                }
            });
            if (task instanceof InvalidStateStoreException e) {
                throw e;
            }
            @SuppressWarnings("unchecked")
            ReadOnlyKeyValueStore<UnitPeriod, long[]> taskStore = (ReadOnlyKeyValueStore<UnitPeriod, long[]>) task;
            long[] counts;
            try {
                counts = taskStore.get(new UnitPeriod(code, period));
            } catch (InvalidStateStoreException e) {
                tasks.put(partition, e); // its task left: nor is it read for the partition's other units
                throw e;
            }
            return counts == null ? null : new Aggregate(period, counts);
        }
    }

    /**
     * The schools registered in a unit for a school year: for a district, commune or province
     * the timeless part plus the year's (see {@link Period#registered()}); a cluster keeps the year's whole.
     */
    public long registeredSchools(Stage stage, String code, String schoolYear) {
        long year = Aggregate.get(get(stage, code, Period.registered(schoolYear)), Measure.REGISTERED_SCHOOLS);
        return stage == Stage.CLUSTER ? year
                : year + Aggregate.get(get(stage, code, Period.registered()), Measure.REGISTERED_SCHOOLS);
    }

    /** Every aggregate of a stage, by unit code: one scan of its store (the metrics' refresh). */
    public Map<String, List<Aggregate>> allAggregates(Stage stage) {
        Map<String, List<Aggregate>> out = new java.util.HashMap<>();
        ReadOnlyKeyValueStore<UnitPeriod, long[]> store = stores.store(UnitStage.statsStore(stage));
        try (KeyValueIterator<UnitPeriod, long[]> it = store.all()) {
            it.forEachRemaining(e -> out.computeIfAbsent(e.key.code(), c -> new ArrayList<>())
                    .add(new Aggregate(e.key.period(), e.value)));
        }
        return out;
    }

    /** The unit's aggregates of one kind (and, unless null, one school year), by period. */
    public Map<Period, Aggregate> all(Stage stage, String code, Kind kind, String schoolYear) {
        Map<Period, Aggregate> out = new LinkedHashMap<>();
        scan(stores.<UnitPeriod, long[]>store(UnitStage.statsStore(stage)), UnitPeriod.prefix(code, kind, schoolYear)).forEach(e -> {
            if (e.key.code().equals(code) && e.key.period().kind() == kind
                    && (schoolYear == null || schoolYear.equals(e.key.period().schoolYear()))) {
                out.put(e.key.period(), new Aggregate(e.key.period(), e.value));
            }
        });
        return out;
    }

    /** The member shares of a cluster for one kind and school year: period -> member -> share. */
    public Map<Period, Map<String, Aggregate>> memberShares(String clusterId, Kind kind, String schoolYear) {
        Map<Period, Map<String, Aggregate>> out = new LinkedHashMap<>();
        scan(stores.<MemberShare, long[]>store(ClusterStage.MEMBER_STATS), MemberShare.prefix(clusterId, kind, schoolYear))
                .forEach(e -> {
                    if (e.key.clusterId().equals(clusterId) && e.key.period().kind() == kind) {
                        out.computeIfAbsent(e.key.period(), p -> new TreeMap<>())
                                .put(e.key.member(), new Aggregate(e.key.period(), e.value));
                    }
                });
        return out;
    }

    /** A member of a cluster as of a school year, as its stage last described it (null: not yet). */
    public Member member(String clusterId, String schoolYear, String code) {
        return stores.<StoreKeys.YearMember, Member>store(ClusterStage.MEMBERS)
                .get(new StoreKeys.YearMember(clusterId, schoolYear, code));
    }

    /** A school of a unit, and whether it sent the report asked for and, if so, by its deadline. */
    public record SchoolStatus(String schoolId, String name, boolean reported, boolean onTime) {
    }

    /**
     * Which report a school list asks about: attendance of {@code date}, or completion or exams
     * of {@code schoolYear}; with a {@code level}, only the schools registered at that level (and
     * for completion, only that level's report); with an {@code exam} (type exam), only that exam's.
     */
    public record SchoolsAsked(ReportType type, String schoolYear, LocalDate date, Level level, String exam) {
        boolean counts(Report report, java.util.function.Predicate<String> examDefined) {
            if (report instanceof CompletionReport completion) {
                return level == null || completion.level() == level;
            }
            if (report instanceof ExamReport result) {
                // An exam report of a code outside the catalogue is held, counted nowhere: not a report yet.
                return (exam == null || exam.equals(result.exam())) && examDefined.test(result.exam());
            }
            return true;
        }
    }

    /**
     * The tasks of each stage: a reader that asks per task ({@link #schoolsIn}, {@link #unitsByTask})
     * has read the whole stage only when the instances' answers together cover this many.
     */
    public int tasks() {
        return stores.partitions();
    }

    /**
     * One read per task of this instance, by partition. A task this instance does not run right
     * now (another instance's, or one still being restored here after a rebalance) is absent: the
     * store across tasks would leave it out without saying so, and a list built from it would
     * miss that task's schools while looking complete.
     */
    private <T> Map<Integer, T> perTask(IntFunction<T> read) {
        Map<Integer, T> out = new TreeMap<>();
        for (int task = 0; task < stores.partitions(); task++) {
            try {
                out.put(task, read.apply(task));
            } catch (InvalidStateStoreException e) {
                // Not running here now: another instance answers for it, or nobody can yet.
            }
        }
        return out;
    }

    /** The districts or communes ({@link Stage#LOCAL}) or provinces with a row, by the task that holds them. */
    public Map<Integer, List<UnitRows>> unitsByTask(Stage stage) {
        return perTask(task -> {
            Map<String, UnitRows> out = new TreeMap<>();
            ReadOnlyKeyValueStore<Row, UnitRow> store = stores.store(UnitStage.rowsStore(stage), task);
            try (KeyValueIterator<Row, UnitRow> it = store.all()) {
                it.forEachRemaining(e -> add(out, stage, e));
            }
            return new ArrayList<>(out.values());
        });
    }

    /**
     * The schools of this instance's school tasks whose row in force for {@code schoolYear} rolls
     * up into one of {@code parents} (the schools a unit counts as registered that year), by the
     * task that holds them (see {@link #perTask}), each with whether it has an attendance report
     * of {@code date} ({@code type} attendance) or any report of the type of that school year, and
     * whether every such report was on time (judged as the counts judge it: the first submission
     * of its natural key). Scans every school row of the instance: for the per-school detail an
     * office asks for now and then, never on a hot path.
     */
    public Map<Integer, List<SchoolStatus>> schoolsIn(Set<Target> parents, SchoolsAsked asked, Deadlines deadlines) {
        return perTask(task -> schoolsIn(task, parents, asked, deadlines));
    }

    private List<SchoolStatus> schoolsIn(int task, Set<Target> parents, SchoolsAsked asked, Deadlines deadlines) {
        String schoolYear = asked.schoolYear();
        Map<String, UnitRow> timeless = new HashMap<>();
        Map<String, UnitRow> ofYear = new HashMap<>();
        try (KeyValueIterator<Row, UnitRow> it = stores.<Row, UnitRow>store(SchoolStage.ROWS, task).all()) {
            it.forEachRemaining(e -> {
                if (e.key.schoolYear() == null) {
                    timeless.put(e.key.code(), e.value);
                } else if (e.key.schoolYear().equals(schoolYear)) {
                    ofYear.put(e.key.code(), e.value);
                }
            });
        }
        Set<String> schools = new TreeSet<>(timeless.keySet());
        schools.addAll(ofYear.keySet());
        ReadOnlyKeyValueStore<String, Report> reports = stores.store(SchoolStage.REPORTS, task);
        ReadOnlyKeyValueStore<String, String> catalogue = stores.store(SchoolStage.EXAM_CATALOGUE, task);
        List<SchoolStatus> out = new ArrayList<>();
        for (String school : schools) {
            UnitRow row = ofYear.containsKey(school) ? ofYear.get(school) : timeless.get(school);
            if (row == null || !parents.contains(row.parent())
                    || asked.level() != null && !asked.level().name().equals(row.level())) {
                continue;
            }
            List<Report> sent = new ArrayList<>();
            if (asked.type() == ReportType.ATTENDANCE) {
                Report report = reports.get(AttendanceReport.naturalKey(school, asked.date()));
                if (report != null) {
                    sent.add(report);
                }
            } else {
                scan(reports, Report.naturalKeyPrefix(school, asked.type(), schoolYear)).stream().map(e -> e.value)
                        .filter(r -> asked.counts(r, code -> examDefined(catalogue, code)))
                        .forEach(sent::add);
            }
            out.add(new SchoolStatus(school, row.name(), !sent.isEmpty(),
                    !sent.isEmpty() && sent.stream().allMatch(deadlines::onTime)));
        }
        return out;
    }

    private static <K, V> List<KeyValue<K, V>> scan(ReadOnlyKeyValueStore<K, V> store, String prefix) {
        List<KeyValue<K, V>> out = new ArrayList<>();
        try (KeyValueIterator<K, V> it = store.prefixScan(prefix, StoreKeys.PREFIX)) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    /**
     * A unit the API can show, if this instance has a row of it: a district or commune (either
     * scope in the URL finds it: they share one code space), a province or a cluster.
     */
    public Optional<UnitView.Shown> shown(Scope scope, String code) {
        Stage stage = Stage.of(scope);
        if (stage == Stage.CLUSTER) {
            TreeMap<String, Cluster> years = clusterYears(code);
            if (years.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(shown(stage, code, years.keySet().toString(), year -> {
                Cluster row = year == null ? years.lastEntry().getValue() : years.get(year);
                return row == null ? null : new Unit(Scope.CLUSTER, code, row.name(), null);
            }));
        }
        return rows(stage, code).map(rows -> shown(stage, code, rows.timeless() != null ? "every school year"
                : rows.years().keySet().toString(), year -> year == null ? rows.unit(rows.latest()) : rows.unit(year)));
    }

    private static UnitView.Shown shown(Stage stage, String code, String years,
                                        java.util.function.Function<String, Unit> asOf) {
        return new UnitView.Shown() {
            @Override
            public String years() {
                return years;
            }

            @Override
            public Stage stage() {
                return stage;
            }

            @Override
            public String code() {
                return code;
            }

            @Override
            public Unit asOf(String schoolYear) {
                return asOf.apply(schoolYear);
            }
        };
    }
}
