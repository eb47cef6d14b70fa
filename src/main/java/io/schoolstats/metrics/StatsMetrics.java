package io.schoolstats.metrics;

import io.schoolstats.query.League;
import io.schoolstats.query.Ranking;
import io.schoolstats.query.StatsQuery;
import io.schoolstats.query.Unit;
import io.schoolstats.query.UnitRows;
import io.schoolstats.reference.Cluster;
import io.schoolstats.reference.Scope;
import io.schoolstats.report.SchoolYear;
import io.schoolstats.stage.Stage;
import io.schoolstats.stats.Aggregate;
import io.schoolstats.stats.Kind;
import io.schoolstats.stats.Measure;
import io.schoolstats.stats.Period;
import io.schoolstats.stats.Ratio;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports the aggregates of this instance's stores as Prometheus gauges. A refresh builds the
 * text of every series from the stores (one scan of each store) and swaps it in; a scrape of
 * {@code /metrics} ({@link RenderedMetrics}) copies the latest text, without a lock and without
 * rebuilding anything. Writing the text directly, rather than through the registry's model
 * of every data point (sorted and checked for duplicates at each rendering), costs a fraction
 * of it: tens of thousands of series at a national scale. A unit this instance no longer has
 * data for, or no longer owns, is simply absent from the next refresh, never left stale.
 *
 * <p>The "today" series (attendance of the current school day, registered schools) are what
 * offices watch as the morning's reports arrive: {@link #refreshToday()} rebuilds only them, by
 * point lookups for the units the last full refresh found, often; {@link #refresh()} rebuilds
 * everything, less often. The two may run at once, on two threads, so that today's series never
 * wait for a full refresh: each takes a number when it starts and swaps its text in under the
 * lock only if nothing that started later is shown; a today refresh that began before a full
 * refresh ended is dropped, as the units it looked up may have left this instance.
 */
public final class StatsMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(StatsMetrics.class);

    /** How often the service rebuilds the "today" series: a new report shows on /metrics within about this. */
    public static final java.time.Duration TODAY_INTERVAL = java.time.Duration.ofMillis(200);
    /** How often the service rebuilds every series. */
    public static final java.time.Duration FULL_INTERVAL = java.time.Duration.ofSeconds(2);
    private static final java.util.Set<Metric> TODAY = java.util.EnumSet.of(Metric.PRESENT, Metric.ENROLLED,
            Metric.ATTENDANCE_RATIO, Metric.REPORTING, Metric.ON_TIME, Metric.REGISTERED);

    private final StatsQuery query;
    private volatile Parts parts = Parts.NONE;
    /** What the last full refresh found: the units (as of each year) and the series other than today's. */
    private volatile Full full;
    /**
     * Every refresh takes a number when it starts; what it read is published only if nothing that
     * started later was published before it (both guarded by this object's lock).
     */
    private final java.util.concurrent.atomic.AtomicLong started = new java.util.concurrent.atomic.AtomicLong();
    private long fullPublished = -1;
    private long todayPublished = -1;

    /** A unit the last full refresh showed, with its registered schools in {@code year} then. */
    private record Shown(Stage stage, String code, Function<String, Unit> asOf, long registered) {
    }

    /** What the last full refresh found; {@code year}: the current day's school year then (may be null). */
    private record Full(String year, List<Shown> units, TextPart others) {
    }

    /** The text of the latest refresh: today's series, rewritten often, and the others. */
    private record Parts(TextPart today, TextPart others) {
        static final Parts NONE = new Parts(TextPart.EMPTY, TextPart.EMPTY);
    }

    public StatsMetrics(StatsQuery query) {
        this.query = query;
    }

    /** The gauges exported, with their meaning: the README lists the same. */
    enum Metric {
        PRESENT("schoolstats_attendance_present", "pupils present on the current school day"),
        ENROLLED("schoolstats_attendance_enrolled", "pupils enrolled in the schools that reported for the current school day"),
        ATTENDANCE_RATIO("schoolstats_attendance_ratio", "present / enrolled on the current school day"),
        REPORTING("schoolstats_attendance_reporting_schools", "schools that reported attendance for the current school day"),
        ON_TIME("schoolstats_attendance_on_time_schools",
                "schools whose attendance for the current school day was submitted by the deadline (first submission)"),
        REGISTERED("schoolstats_registered_schools",
                "schools registered in the unit in the current day's school year (a cluster: in its members)"),
        YEAR_RATIO("schoolstats_attendance_school_year_ratio", "present / enrolled over all school days of the school year"),
        ASSESSED("schoolstats_completion_assessed", "pupils assessed for program completion"),
        COMPLETED("schoolstats_completion_completed", "pupils who completed the program"),
        COMPLETION_RATIO("schoolstats_completion_ratio", "completed / assessed"),
        CONDUCT_RATIO("schoolstats_conduct_good_ratio", "conductGood / assessed, over the reports that gave conductGood"),
        COMPLETION_REPORTING("schoolstats_completion_reporting_schools", "schools that reported completion of the level"),
        COMPLETION_ON_TIME("schoolstats_completion_on_time_schools",
                "schools whose completion report was submitted by the school year's deadline (first submission)"),
        CANDIDATES("schoolstats_exam_candidates", "exam candidates"),
        PASSED("schoolstats_exam_passed", "exam candidates who passed"),
        PASS_RATIO("schoolstats_exam_pass_ratio", "passed / candidates"),
        EXAM_REPORTING("schoolstats_exam_reporting_schools", "schools that reported results of the exam"),
        EXAM_ON_TIME("schoolstats_exam_on_time_schools",
                "schools whose exam results were submitted by the school year's deadline (first submission)"),
        PAPERS("schoolstats_exam_papers", "exam papers per score band"),
        AWARDS("schoolstats_exam_awards", "exam awards per award"),
        RANK("schoolstats_cluster_rank", "a member's rank inside its cluster (1 = best)"),
        EMULATION_POINTS("schoolstats_emulation_points",
                "a member's points for one criterion of its cluster's scoring scheme (people's or computed)"),
        EMULATION_TOTAL("schoolstats_emulation_total_points", "a member's total points in its cluster's league table"),
        EMULATION_RANK("schoolstats_emulation_rank", "a member's rank by total points in its cluster (1 = best)");

        final String name;
        final String description;
        /** The name, and the family's HELP and TYPE lines, as the page's bytes. */
        final byte[] nameBytes;
        final byte[] header;

        Metric(String name, String description) {
            this.name = name;
            this.description = description;
            this.nameBytes = name.getBytes(StandardCharsets.UTF_8);
            this.header = ("# HELP " + name + " " + description + "\n# TYPE " + name + " gauge\n")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    /** The series of one refresh, by metric, as lines of the text format (in chunks: {@link ChunkedBytes}). */
    private static final class Rows {
        private final Map<Metric, ChunkedBytes> rows = new EnumMap<>(Metric.class);

        void add(Metric metric, LabelText labels, long value) {
            line(metric, labels).ascii(Long.toString(value)).write('\n');
        }

        void add(Metric metric, LabelText labels, double value) {
            line(metric, labels).ascii(Double.toString(value)).write('\n');
        }

        private ChunkedBytes line(Metric metric, LabelText labels) {
            ChunkedBytes out = rows.computeIfAbsent(metric, m -> new ChunkedBytes());
            out.write(metric.nameBytes);
            labels.appendTo(out);
            out.write(' ');
            return out;
        }

        void ratio(Metric metric, LabelText labels, Ratio ratio) {
            if (ratio.defined()) {
                add(metric, labels, ratio.value());
            }
        }

        /** The families of these rows that {@code which} selects, with their HELP and TYPE lines. */
        TextPart text(java.util.function.Predicate<Metric> which) {
            List<byte[]> chunks = new ArrayList<>();
            rows.forEach((metric, lines) -> {
                if (which.test(metric)) {
                    chunks.add(metric.header);
                    chunks.addAll(lines.chunks());
                }
            });
            return chunks.isEmpty() ? TextPart.EMPTY : new TextPart(chunks);
        }
    }

    /** The series of this instance's units: today's part, then the others. */
    public List<TextPart> parts() {
        Parts p = parts;
        return List.of(p.today(), p.others());
    }

    /** The series as text, for tests and tools. */
    public String text() {
        StringBuilder out = new StringBuilder();
        parts().forEach(p -> out.append(p.asString()));
        return out.toString();
    }

    /** Drops every series (until the next refresh finds stores to read). */
    public synchronized void clear() {
        full = null;
        parts = Parts.NONE;
    }

    /**
     * Rebuilds every series from the stores of this instance's active tasks (never a standby's),
     * so that a unit whose task moved to another instance leaves this one's series.
     */
    public void refresh() {
        long number = started.incrementAndGet();
        Rows rows = new Rows();
        List<Shown> units = new ArrayList<>();
        String currentYear;
        try {
            LocalDate day = query.currentDay().orElse(null);
            currentYear = day == null ? null : SchoolYear.of(day);
            for (Stage stage : List.of(Stage.LOCAL, Stage.PROVINCE)) {
                Map<String, List<Aggregate>> aggregates = query.allAggregates(stage);
                for (UnitRows unit : query.units(stage)) {
                    long registered = collect(aggregates.getOrDefault(unit.code(), List.of()), unit::unit, day, rows);
                    units.add(new Shown(stage, unit.code(), unit::unit, registered));
                }
            }
            Map<String, List<Aggregate>> clusterAggregates = query.allAggregates(Stage.CLUSTER);
            query.clusters().forEach((id, years) -> {
                Function<String, Unit> asOf = year -> {
                    Cluster row = year == null ? null : years.get(year);
                    return row == null ? null : new Unit(Scope.CLUSTER, id, row.name(), null);
                };
                long registered = collect(clusterAggregates.getOrDefault(id, List.of()), asOf, day, rows);
                units.add(new Shown(Stage.CLUSTER, id, asOf, registered));
                Map<String, io.schoolstats.reference.EmulationScheme> schemes = query.schemes(id);
                years.forEach((year, row) -> {
                    league(rows, League.of(query, row, schemes.get(year)));
                    for (Ranking.Indicator indicator : Ranking.of(query, id, year)) {
                        for (Ranking.Place place : indicator.places()) {
                            rows.add(Metric.RANK, LabelText.of("scope", place.scope(), "code", place.code(),
                                    "name", place.name(), "cluster", id, "school_year", year,
                                    "indicator", indicator.indicator()), place.rank());
                        }
                    }
                });
            });
        } catch (InvalidStateStoreException e) {
            // No store to read (starting, or every task moved away): show nothing rather than
            // figures another instance may be showing now, which a sum would count twice.
            LOG.debug("stores not queryable; no series until they are: {}", e.getMessage());
            synchronized (this) {
                if (number > fullPublished) {
                    fullPublished = number;
                    todayPublished = Math.max(todayPublished, number);
                    full = null;
                    parts = Parts.NONE;
                }
            }
            return;
        }
        TextPart others = rows.text(m -> !TODAY.contains(m));
        TextPart today = rows.text(TODAY::contains);
        synchronized (this) {
            if (number < fullPublished) {
                return; // a full refresh that started later has published: its units stand
            }
            fullPublished = number;
            full = new Full(currentYear, List.copyOf(units), others);
            if (number > todayPublished) {
                todayPublished = number;
                parts = new Parts(today, others);
            } else {
                // A today refresh that started later published newer figures of today: keep them.
                parts = new Parts(parts.today(), others);
            }
        }
    }

    /**
     * Rebuilds today's series only, by point lookups of the current day's attendance for the units
     * of the last full refresh; a unit new since then shows at the next full refresh, and so does
     * a change of registered schools (rows change rarely; three lookups per unit cost a sixth of
     * the benchmark's CPU). Each lookup reads the store of the task that owns the unit only.
     */
    public void refreshToday() {
        long number = started.incrementAndGet();
        Full last = full;
        if (last == null) {
            return; // nothing to look up before a full refresh found the units
        }
        Rows rows = new Rows();
        try {
            LocalDate day = query.currentDay().orElse(null);
            if (day != null) {
                String year = SchoolYear.of(day);
                Period today = Period.attendanceDay(day);
                Map<Stage, StatsQuery.Owners> owners = new EnumMap<>(Stage.class);
                for (Shown unit : last.units()) {
                    Unit current = unit.asOf().apply(year);
                    if (current == null) {
                        continue;
                    }
                    Aggregate todays;
                    try {
                        todays = owners.computeIfAbsent(unit.stage(), query::owners).get(unit.code(), today);
                    } catch (InvalidStateStoreException e) {
                        // Its task left this instance (or is being restored) since the full refresh.
                        continue;
                    }
                    long registered = year.equals(last.year()) ? unit.registered()
                            : query.registeredSchools(unit.stage(), unit.code(), year);
                    today(rows, labels(current), registered, todays);
                }
            }
        } catch (InvalidStateStoreException e) {
            // No store to read (starting, or every task moved away): show nothing rather than
            // figures another instance may be showing now, which a sum would count twice.
            LOG.debug("stores not queryable; no series until they are: {}", e.getMessage());
            synchronized (this) {
                if (full == last) {
                    full = null;
                    parts = Parts.NONE;
                }
            }
            return;
        }
        TextPart today = rows.text(TODAY::contains);
        synchronized (this) {
            // A full refresh (or a clear) that ended meanwhile may have dropped units this one
            // looked up: its text stands until the next today refresh.
            if (full == last && number > todayPublished) {
                todayPublished = number;
                parts = new Parts(today, last.others());
            }
        }
    }

    /**
     * One unit's series. Each is labelled with the unit as of the series' school year (its row in
     * force then); a school year in which the unit has no row shows nothing.
     */
    /** @return the unit's registered schools in the current day's school year (0 without a day) */
    private static long collect(List<Aggregate> aggregates, Function<String, Unit> asOf, LocalDate day, Rows rows) {
        String currentYear = day == null ? null : SchoolYear.of(day);
        Unit current = currentYear == null ? null : asOf.apply(currentYear);
        Period today = day == null ? null : Period.attendanceDay(day);
        long registered = 0;
        Aggregate todays = null;
        Map<String, LabelText> byYear = new TreeMap<>();
        Function<String, LabelText> labels = year -> byYear.computeIfAbsent(year, y -> {
            Unit unit = asOf.apply(y);
            return unit == null ? null : labels(unit).add("school_year", y);
        });
        for (Aggregate a : aggregates) {
            Period p = a.period();
            switch (p.kind()) {
                case REGISTERED -> {
                    // The timeless part and the current year's (see Period.registered()).
                    if (p.timeless() || p.schoolYear().equals(currentYear)) {
                        registered += a.get(Measure.REGISTERED_SCHOOLS);
                    }
                }
                case ATTENDANCE_DAY -> {
                    if (p.equals(today)) {
                        todays = a;
                    }
                }
                case ATTENDANCE_YEAR -> {
                    LabelText l = labels.apply(p.schoolYear());
                    if (l != null) {
                        rows.ratio(Metric.YEAR_RATIO, l, a.ratio(Measure.PRESENT, Measure.ENROLLED));
                    }
                }
                case COMPLETION -> {
                    LabelText l = labels.apply(p.schoolYear());
                    if (l != null) {
                        LabelText t = l.add("level", p.level());
                        rows.add(Metric.ASSESSED, t, a.get(Measure.ASSESSED));
                        rows.add(Metric.COMPLETED, t, a.get(Measure.COMPLETED));
                        rows.ratio(Metric.COMPLETION_RATIO, t, a.ratio(Measure.COMPLETED, Measure.ASSESSED));
                        rows.ratio(Metric.CONDUCT_RATIO, t, a.ratio(Measure.CONDUCT_GOOD, Measure.CONDUCT_ASSESSED));
                        rows.add(Metric.COMPLETION_REPORTING, t, a.get(Measure.REPORTING_SCHOOLS));
                        rows.add(Metric.COMPLETION_ON_TIME, t, a.get(Measure.ON_TIME_SCHOOLS));
                    }
                }
                case EXAM -> {
                    LabelText l = labels.apply(p.schoolYear());
                    if (l != null) {
                        LabelText t = l.add("exam", p.exam());
                        rows.add(Metric.CANDIDATES, t, a.get(Measure.CANDIDATES));
                        rows.add(Metric.PASSED, t, a.get(Measure.PASSED));
                        rows.ratio(Metric.PASS_RATIO, t, a.ratio(Measure.PASSED, Measure.CANDIDATES));
                        rows.add(Metric.EXAM_REPORTING, t, a.get(Measure.REPORTING_SCHOOLS));
                        rows.add(Metric.EXAM_ON_TIME, t, a.get(Measure.ON_TIME_SCHOOLS));
                        for (Measure band : Measure.BANDS) {
                            rows.add(Metric.PAPERS, t.add("band", band.label()), a.get(band));
                        }
                        for (Measure award : Measure.AWARDS) {
                            rows.add(Metric.AWARDS, t.add("award", award.label()), a.get(award));
                        }
                    }
                }
            }
        }
        if (current == null) {
            return registered;
        }
        today(rows, labels(current), registered, todays);
        return registered;
    }

    /** A cluster's league table of one school year; a criterion not scored yet has no series. */
    private static void league(Rows rows, League.Table table) {
        if (table == null) {
            return;
        }
        for (League.Line line : table.lines()) {
            LabelText member = LabelText.of("scope", line.scope(), "code", line.code(), "name", line.name(),
                    "cluster", table.clusterId(), "school_year", table.schoolYear());
            for (League.Points p : line.points()) {
                if (p.points() != null) {
                    rows.add(Metric.EMULATION_POINTS, member.add("criterion", p.criterion()), p.points());
                }
            }
            rows.add(Metric.EMULATION_TOTAL, member, line.total());
            rows.add(Metric.EMULATION_RANK, member, line.rank());
        }
    }

    /** A unit's series of the current school day. */
    private static void today(Rows rows, LabelText tags, long registered, Aggregate todays) {
        if (registered != 0) {
            rows.add(Metric.REGISTERED, tags, registered);
        }
        if (todays != null) {
            rows.add(Metric.PRESENT, tags, todays.get(Measure.PRESENT));
            rows.add(Metric.ENROLLED, tags, todays.get(Measure.ENROLLED));
            rows.ratio(Metric.ATTENDANCE_RATIO, tags, todays.ratio(Measure.PRESENT, Measure.ENROLLED));
        }
        if (todays != null || registered != 0) {
            rows.add(Metric.REPORTING, tags, Aggregate.get(todays, Measure.REPORTING_SCHOOLS));
            rows.add(Metric.ON_TIME, tags, Aggregate.get(todays, Measure.ON_TIME_SCHOOLS));
        }
    }

    private static LabelText labels(Unit unit) {
        return LabelText.of("scope", unit.scope().label(), "code", unit.code(), "name", unit.name());
    }
}
