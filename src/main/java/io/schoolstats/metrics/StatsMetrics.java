package io.schoolstats.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
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
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
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
            LocalDate day = query.currentDay().orElse(null);
            for (Stage stage : List.of(Stage.LOCAL, Stage.PROVINCE)) {
                for (UnitRows unit : query.units(stage)) {
                    collect(stage, unit.code(), unit::unit, day, rows);
                }
            }
            query.clusters().forEach((id, years) -> {
                Function<String, Unit> asOf = year -> {
                    Cluster row = year == null ? null : years.get(year);
                    return row == null ? null : new Unit(Scope.CLUSTER, id, row.name(), null);
                };
                collect(Stage.CLUSTER, id, asOf, day, rows);
                years.forEach((year, row) -> {
                    for (Ranking.Indicator indicator : Ranking.of(query, id, year)) {
                        for (Ranking.Place place : indicator.places()) {
                            rows.get(Metric.RANK).add(MultiGauge.Row.of(Tags.of("scope", place.scope(), "code", place.code(),
                                    "name", place.name(), "cluster", id, "school_year", year,
                                    "indicator", indicator.indicator()), place.rank()));
                        }
                    }
                });
            });
        } catch (InvalidStateStoreException e) {
            LOG.debug("stores not queryable yet; keeping the last figures: {}", e.getMessage());
            return;
        }
        rows.forEach((metric, list) -> gauges.get(metric.name).register(list, true));
        lastRefresh = System.currentTimeMillis();
    }

    /**
     * One unit's series. Each is labelled with the unit as of the series' school year (its row in
     * force then); a school year in which the unit has no row shows nothing.
     */
    private void collect(Stage stage, String code, Function<String, Unit> asOf, LocalDate day,
                         Map<Metric, List<MultiGauge.Row<?>>> rows) {
        String currentYear = day == null ? null : SchoolYear.of(day);
        Unit current = currentYear == null ? null : asOf.apply(currentYear);
        if (current != null) {
            Tags tags = tags(current);
            long registered = query.registeredSchools(stage, code, currentYear);
            Aggregate today = query.get(stage, code, Period.attendanceDay(day));
            if (registered != 0) {
                rows.get(Metric.REGISTERED).add(MultiGauge.Row.of(tags, registered));
            }
            if (today != null) {
                rows.get(Metric.PRESENT).add(MultiGauge.Row.of(tags, today.get(Measure.PRESENT)));
                rows.get(Metric.ENROLLED).add(MultiGauge.Row.of(tags, today.get(Measure.ENROLLED)));
                addRatio(rows, Metric.ATTENDANCE_RATIO, tags, today.ratio(Measure.PRESENT, Measure.ENROLLED));
            }
            if (today != null || registered != 0) {
                rows.get(Metric.REPORTING).add(MultiGauge.Row.of(tags, Aggregate.get(today, Measure.REPORTING_SCHOOLS)));
            }
        }
        query.all(stage, code, Kind.ATTENDANCE_YEAR, null).forEach((p, v) -> {
            Unit unit = asOf.apply(p.schoolYear());
            if (unit != null) {
                addRatio(rows, Metric.YEAR_RATIO, tags(unit).and("school_year", p.schoolYear()),
                        v.ratio(Measure.PRESENT, Measure.ENROLLED));
            }
        });
        query.all(stage, code, Kind.COMPLETION, null).forEach((p, v) -> {
            Unit unit = asOf.apply(p.schoolYear());
            if (unit == null) {
                return;
            }
            Tags t = tags(unit).and("school_year", p.schoolYear(), "level", p.level());
            rows.get(Metric.ASSESSED).add(MultiGauge.Row.of(t, v.get(Measure.ASSESSED)));
            rows.get(Metric.COMPLETED).add(MultiGauge.Row.of(t, v.get(Measure.COMPLETED)));
            addRatio(rows, Metric.COMPLETION_RATIO, t, v.ratio(Measure.COMPLETED, Measure.ASSESSED));
            addRatio(rows, Metric.CONDUCT_RATIO, t, v.ratio(Measure.CONDUCT_GOOD, Measure.CONDUCT_ASSESSED));
        });
        query.all(stage, code, Kind.EXAM, null).forEach((p, v) -> {
            Unit unit = asOf.apply(p.schoolYear());
            if (unit == null) {
                return;
            }
            Tags t = tags(unit).and("school_year", p.schoolYear(), "exam", p.exam());
            rows.get(Metric.CANDIDATES).add(MultiGauge.Row.of(t, v.get(Measure.CANDIDATES)));
            rows.get(Metric.PASSED).add(MultiGauge.Row.of(t, v.get(Measure.PASSED)));
            addRatio(rows, Metric.PASS_RATIO, t, v.ratio(Measure.PASSED, Measure.CANDIDATES));
            for (Measure band : Measure.BANDS) {
                rows.get(Metric.PAPERS).add(MultiGauge.Row.of(t.and("band", band.label()), v.get(band)));
            }
            for (Measure award : Measure.AWARDS) {
                rows.get(Metric.AWARDS).add(MultiGauge.Row.of(t.and("award", award.label()), v.get(award)));
            }
        });
    }

    private static Tags tags(Unit unit) {
        return Tags.of("scope", unit.scope().label(), "code", unit.code(), "name", unit.name());
    }

    private static void addRatio(Map<Metric, List<MultiGauge.Row<?>>> rows, Metric metric, Tags tags, Ratio ratio) {
        if (ratio.defined()) {
            rows.get(metric).add(MultiGauge.Row.of(tags, ratio.value()));
        }
    }

}
