package io.schoolstats.stage;

import io.schoolstats.stats.Counts;
import io.schoolstats.stats.Period;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * Where a unit's aggregates count, given its reference rows and cluster memberships: the rule
 * of the contract's section 2, in one place, for schools and units alike.
 *
 * <p>An aggregate of school year Y counts in the parent of the row in force for Y (the year's
 * row, else the timeless row), and in the clusters of year Y the unit belongs to while a row is
 * in force for Y. Registered schools are kept as a timeless part plus a part per school year
 * (see {@link Period#registered()}): the timeless part goes to the timeless row's parent and,
 * for each year whose row names another parent, moves from that parent's year part to the
 * other's, so that every unit's "timeless + year Y" is exactly the schools in force for Y.
 *
 * <p>Routing is linear in the counts. A school sends each delta through it as it comes, and on a
 * change of rows sends "route with the new rows minus route with the old" for everything it
 * holds (apache/kafka's {@code KTableRepartitionMap}: minus the old, plus the new). A unit sends
 * its whole values through it as shares ({@link #routeAlways}, zeros included), and on a change
 * sends its shares under the new routing and zeros where only the old one had any.
 */
final class Routing {
    /** Receives routed counts; {@code clusterYear} is the school year of a cluster target, else null. */
    interface Sink {
        void add(Target target, String clusterYear, Period period, long[] counts);
    }

    private final UnitRow timeless;
    private final Map<String, UnitRow> years;
    private final Map<String, Set<String>> clusters;

    /**
     * @param timeless the timeless row, or null
     * @param years    every year row, by school year
     * @param clusters the cluster ids the unit belongs to, by school year
     */
    Routing(UnitRow timeless, Map<String, UnitRow> years, Map<String, Set<String>> clusters) {
        this.timeless = timeless;
        // Most units and schools have no year rows and no clusters: no map of their own then.
        this.years = years.isEmpty() ? Map.of() : new TreeMap<>(years);
        this.clusters = clusters.isEmpty() ? Map.of() : new TreeMap<>(clusters);
    }

    /**
     * The same routing with rows cut down to what routing reads (the parent, as {@code shared}
     * returns it, and the code and scope): what a school stage keeps in memory for each school.
     */
    Routing parentsOnly(UnaryOperator<Target> shared) {
        Map<String, UnitRow> slim = new TreeMap<>();
        years.forEach((year, row) -> slim.put(year, parentOnly(row, shared)));
        return new Routing(parentOnly(timeless, shared), slim, clusters);
    }

    /** The routing after one row changed: the timeless row (schoolYear null) or a year's; a null row is deleted. */
    Routing withRow(String schoolYear, UnitRow row) {
        if (schoolYear == null) {
            return new Routing(row, years, clusters);
        }
        Map<String, UnitRow> changed = new TreeMap<>(years);
        if (row == null) {
            changed.remove(schoolYear);
        } else {
            changed.put(schoolYear, row);
        }
        return new Routing(timeless, changed, clusters);
    }

    /** A row cut down to what routing reads (see {@link #parentsOnly}). */
    static UnitRow parentOnly(UnitRow row, UnaryOperator<Target> shared) {
        return row == null ? null
                : new UnitRow(row.code(), null, row.scope(), row.parent() == null ? null : shared.apply(row.parent()));
    }

    /** The row in force for a school year, or null. */
    UnitRow row(String schoolYear) {
        return UnitRow.inForce(timeless, years, schoolYear);
    }

    /** Every school year the routing names (its year rows and memberships). */
    Set<String> schoolYears() {
        Set<String> all = new TreeSet<>(years.keySet());
        all.addAll(clusters.keySet());
        return all;
    }

    /** The clusters the unit counts in for a school year (none while no row is in force for it). */
    Set<String> clusters(String schoolYear) {
        return row(schoolYear) == null ? Set.of() : clusters.getOrDefault(schoolYear, Set.of());
    }

    void route(Period period, long[] counts, Sink sink) {
        if (!Counts.isZero(counts)) {
            routeAlways(period, counts, sink);
        }
    }

    /**
     * Like {@link #route} but zero counts too (null: none): every place an aggregate of this period
     * counts in, whatever its value. A unit sends its shares this way, so that a parent hears of
     * a share that became zero.
     */
    void routeAlways(Period period, long[] counts, Sink sink) {
        if (counts == null) {
            counts = new long[period.kind().size()];
        }
        if (period.timeless()) {
            routeTimeless(period, counts, sink);
            return;
        }
        String year = period.schoolYear();
        UnitRow row = row(year);
        if (row == null) {
            return;
        }
        if (row.parent() != null) {
            sink.add(row.parent(), null, period, counts);
        }
        for (String cluster : clusters(year)) {
            sink.add(new Target(Stage.CLUSTER, cluster), year, period, counts);
        }
    }

    private void routeTimeless(Period period, long[] counts, Sink sink) {
        Target base = timeless == null ? null : timeless.parent();
        if (base != null) {
            sink.add(base, null, period, counts);
        }
        years.forEach((year, row) -> {
            if (!Objects.equals(row.parent(), base)) {
                if (base != null) {
                    sink.add(base, null, Period.registered(year), Counts.negate(counts));
                }
                if (row.parent() != null) {
                    sink.add(row.parent(), null, Period.registered(year), counts);
                }
            }
        });
        // A cluster exists for one school year: it counts the whole of the member's year.
        clusters.forEach((year, ids) -> {
            if (row(year) != null) {
                for (String cluster : ids) {
                    sink.add(new Target(Stage.CLUSTER, cluster), year, Period.registered(year), counts);
                }
            }
        });
    }
}
