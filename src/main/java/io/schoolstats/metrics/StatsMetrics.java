package io.schoolstats.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.schoolstats.query.Ranking;
import io.schoolstats.query.Ratio;
import io.schoolstats.query.StatsQuery;
import io.schoolstats.query.Unit;
import io.schoolstats.reference.Scope;
import io.schoolstats.report.SchoolYear;
import io.schoolstats.stats.Kind;
import io.schoolstats.stats.Period;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports the aggregates of this instance's stores as Prometheus gauges. Every refresh rebuilds
 * each {@link MultiGauge} from the stores with overwrite on, so that a unit this instance no
 * longer has data for, or no longer owns, disappears instead of staying stale.
 */
public final class StatsMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(StatsMetrics.class);

    private final StatsQuery query;
    private final Map<String, MultiGauge> gauges = new LinkedHashMap<>();
    private volatile long lastRefresh;

    public StatsMetrics(StatsQuery query, MeterRegistry registry) {
        this.query = query;
        for (Metric m : Metric.values()) {
            gauges.put(m.name, MultiGauge.builder(m.name).description(m.description).register(registry));
        }
    }

    /** The gauges exported, with their meaning: the README lists the same. */
    enum Metric {
        PRESENT("schoolstats.attendance.present", "pupils present on the current school day"),
        ENROLLED("schoolstats.attendance.enrolled", "pupils enrolled in the schools that reported for the current school day"),
        ATTENDANCE_RATIO("schoolstats.attendance.ratio", "present / enrolled on the current school day"),
        REPORTING("schoolstats.attendance.reporting.schools", "schools that reported attendance for the current school day"),
        REGISTERED("schoolstats.registered.schools",
                "schools registered in the unit (a cluster: in its members of the current day's school year)"),
        YEAR_RATIO("schoolstats.attendance.school.year.ratio", "present / enrolled over all school days of the school year"),
        ASSESSED("schoolstats.completion.assessed", "pupils assessed for program completion"),
        COMPLETED("schoolstats.completion.completed", "pupils who completed the program"),
        COMPLETION_RATIO("schoolstats.completion.ratio", "completed / assessed"),
        CONDUCT_RATIO("schoolstats.conduct.good.ratio", "conductGood / assessed, over the reports that gave conductGood"),
        CANDIDATES("schoolstats.exam.candidates", "exam candidates"),
        PASSED("schoolstats.exam.passed", "exam candidates who passed"),
        PASS_RATIO("schoolstats.exam.pass.ratio", "passed / candidates"),
        PAPERS("schoolstats.exam.papers", "exam papers per score band"),
        AWARDS("schoolstats.exam.awards", "exam awards per award"),
        RANK("schoolstats.cluster.rank", "a member's rank inside its cluster (1 = best)");

        final String name;
        final String description;

        Metric(String name, String description) {
            this.name = name;
            this.description = description;
        }
    }

    /**
     * Refreshes when the last refresh is older than {@code minIntervalMillis}, then reads, both
     * under the refresh's lock, so that a scrape never sees a half-rebuilt set of series.
     */
    public synchronized String scrape(long minIntervalMillis, java.util.function.Supplier<String> reader) {
        if (System.currentTimeMillis() - lastRefresh >= minIntervalMillis) {
            refresh();
        }
        return reader.get();
    }

    /** Rebuilds every gauge from the stores; keeps the last values while the stores are unavailable. */
    public synchronized void refresh() {
        Map<Metric, List<MultiGauge.Row<?>>> rows = new LinkedHashMap<>();
        for (Metric m : Metric.values()) {
            rows.put(m, new ArrayList<>());
        }
        try {
            Optional<LocalDate> day = query.currentDay();
            for (Scope scope : Scope.values()) {
                for (Unit unit : query.units(scope)) {
                    collect(unit, day.orElse(null), rows);
                }
            }
            for (Unit cluster : query.units(Scope.CLUSTER)) {
                for (String year : query.clusterYears(cluster.code()).keySet()) {
                    for (Ranking.Indicator indicator : Ranking.of(query, cluster.code(), year)) {
                        String memberScope = query.clusterYears(cluster.code()).get(year).scope().label();
                        for (Ranking.Place place : indicator.places()) {
                            rows.get(Metric.RANK).add(MultiGauge.Row.of(Tags.of("scope", memberScope, "code", place.code(),
                                    "name", place.name(), "cluster", cluster.code(), "school_year", year,
                                    "indicator", indicator.indicator()), place.rank()));
                        }
                    }
                }
            }
        } catch (InvalidStateStoreException e) {
            LOG.debug("stores not queryable yet; keeping the last figures: {}", e.getMessage());
            return;
        }
        rows.forEach((metric, list) -> gauges.get(metric.name).register(list, true));
        lastRefresh = System.currentTimeMillis();
    }

    private void collect(Unit unit, LocalDate day, Map<Metric, List<MultiGauge.Row<?>>> rows) {
        Tags tags = Tags.of("scope", unit.scope().label(), "code", unit.code(), "name", unit.name());
        String currentYear = day == null ? null : SchoolYear.of(day);

        // A cluster counts the registered schools of its members of the current day's school year.
        Period registeredPeriod = unit.scope() != Scope.CLUSTER ? Period.registered()
                : currentYear == null ? null : Period.registered(currentYear);
        long[] registered = registeredPeriod == null ? null : query.get(unit.scope(), unit.code(), registeredPeriod);
        if (registered != null) {
            rows.get(Metric.REGISTERED).add(MultiGauge.Row.of(tags, registered[0]));
        }
        long[] today = day == null ? null : query.get(unit.scope(), unit.code(), Period.attendanceDay(day));
        if (today != null) {
            rows.get(Metric.PRESENT).add(MultiGauge.Row.of(tags, today[0]));
            rows.get(Metric.ENROLLED).add(MultiGauge.Row.of(tags, today[1]));
            addRatio(rows, Metric.ATTENDANCE_RATIO, tags, new Ratio(today[0], today[1]));
        }
        if (day != null && (today != null || registered != null)) {
            rows.get(Metric.REPORTING).add(MultiGauge.Row.of(tags, today == null ? 0 : today[2]));
        }
        query.all(unit.scope(), unit.code(), Kind.ATTENDANCE_YEAR).forEach((p, v) ->
                addRatio(rows, Metric.YEAR_RATIO, tags.and("school_year", p.schoolYear()), new Ratio(v[0], v[1])));
        query.all(unit.scope(), unit.code(), Kind.COMPLETION).forEach((p, v) -> {
            Tags t = tags.and("school_year", p.schoolYear(), "level", p.level());
            rows.get(Metric.ASSESSED).add(MultiGauge.Row.of(t, v[0]));
            rows.get(Metric.COMPLETED).add(MultiGauge.Row.of(t, v[1]));
            addRatio(rows, Metric.COMPLETION_RATIO, t, new Ratio(v[1], v[0]));
            addRatio(rows, Metric.CONDUCT_RATIO, t, new Ratio(v[2], v[3]));
        });
        query.all(unit.scope(), unit.code(), Kind.EXAM).forEach((p, v) -> {
            Tags t = tags.and("school_year", p.schoolYear(), "exam", p.exam());
            rows.get(Metric.CANDIDATES).add(MultiGauge.Row.of(t, v[0]));
            rows.get(Metric.PASSED).add(MultiGauge.Row.of(t, v[1]));
            addRatio(rows, Metric.PASS_RATIO, t, new Ratio(v[1], v[0]));
            for (int b = 0; b < 10; b++) {
                rows.get(Metric.PAPERS).add(MultiGauge.Row.of(t.and("band", Kind.bandLabel(b)), v[Kind.FIRST_BAND + b]));
            }
            for (int a = 0; a < Kind.AWARDS.size(); a++) {
                rows.get(Metric.AWARDS).add(MultiGauge.Row.of(t.and("award", Kind.AWARDS.get(a)), v[Kind.FIRST_AWARD + a]));
            }
        });
    }

    private static void addRatio(Map<Metric, List<MultiGauge.Row<?>>> rows, Metric metric, Tags tags, Ratio ratio) {
        if (ratio.defined()) {
            rows.get(metric).add(MultiGauge.Row.of(tags, ratio.value()));
        }
    }

}
