package io.schoolstats.query;

import io.schoolstats.reference.Cluster;
import io.schoolstats.reference.Scope;
import io.schoolstats.report.SchoolYear;
import io.schoolstats.stats.Kind;
import io.schoolstats.stats.Period;
import io.schoolstats.topology.Messages.UnitRef;
import io.schoolstats.topology.StoreNames;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads aggregates and reference rows out of this instance's state stores: the one place the
 * metrics exporter and the HTTP API get their figures from.
 */
public final class StatsQuery {
    private final StoreSource stores;

    public StatsQuery(StoreSource stores) {
        this.stores = stores;
    }

    /** The current school day: the latest attendance date of any accepted report. */
    public Optional<LocalDate> currentDay() {
        LocalDate latest = null;
        ReadOnlyKeyValueStore<String, String> store = stores.store(StoreNames.LATEST_DAY);
        try (KeyValueIterator<String, String> it = store.all()) {
            while (it.hasNext()) {
                LocalDate day = LocalDate.parse(it.next().value);
                if (latest == null || day.isAfter(latest)) {
                    latest = day;
                }
            }
        }
        return Optional.ofNullable(latest);
    }

    /** The school year of the current day, if any. */
    public Optional<String> currentSchoolYear() {
        return currentDay().map(SchoolYear::of);
    }

    /** Every unit of a scope registered on this instance. */
    public List<Unit> units(Scope scope) {
        List<Unit> units = new ArrayList<>();
        if (scope == Scope.CLUSTER) {
            Map<String, Cluster> latest = new TreeMap<>();
            ReadOnlyKeyValueStore<String, Cluster> store = stores.store(StoreNames.CLUSTER_INFO);
            try (KeyValueIterator<String, Cluster> it = store.all()) {
                while (it.hasNext()) {
                    Cluster c = it.next().value;
                    latest.merge(c.clusterId(), c, (a, b) -> a.schoolYear().compareTo(b.schoolYear()) >= 0 ? a : b);
                }
            }
            latest.values().forEach(c -> units.add(new Unit(Scope.CLUSTER, c.clusterId(), c.name())));
            return units;
        }
        ReadOnlyKeyValueStore<String, UnitRef> store = stores.store(StoreNames.refs(scope));
        try (KeyValueIterator<String, UnitRef> it = store.all()) {
            while (it.hasNext()) {
                UnitRef ref = it.next().value;
                units.add(new Unit(scope, ref.code(), ref.name()));
            }
        }
        return units;
    }

    /** The unit if it is registered on this instance (a cluster: in any school year). */
    public Optional<Unit> unit(Scope scope, String code) {
        if (scope == Scope.CLUSTER) {
            Map<String, Cluster> years = clusterYears(code);
            return years.isEmpty() ? Optional.empty()
                    : Optional.of(new Unit(scope, code, ((TreeMap<String, Cluster>) years).lastEntry().getValue().name()));
        }
        UnitRef ref = stores.<UnitRef>store(StoreNames.refs(scope)).get(code);
        return ref == null ? Optional.empty() : Optional.of(new Unit(scope, code, ref.name()));
    }

    /** The unit this district rolls up into (its province), if any. */
    public Optional<String> parent(Scope scope, String code) {
        if (scope != Scope.DISTRICT) {
            return Optional.empty();
        }
        UnitRef ref = stores.<UnitRef>store(StoreNames.refs(scope)).get(code);
        return Optional.ofNullable(ref == null ? null : ref.parent());
    }

    /** A cluster's rows by school year, oldest first. */
    public Map<String, Cluster> clusterYears(String clusterId) {
        Map<String, Cluster> years = new TreeMap<>();
        scan(stores.<Cluster>store(StoreNames.CLUSTER_INFO), clusterId + "|")
                .forEach(e -> years.put(e.value.schoolYear(), e.value));
        return years;
    }

    /** One aggregate; null when there is none. */
    public long[] get(Scope scope, String code, Period period) {
        return stores.<long[]>store(StoreNames.stats(scope)).get(code + "|" + period.encode());
    }

    /** The unit's aggregates of one kind, by period. */
    public Map<Period, long[]> all(Scope scope, String code, Kind kind) {
        Map<Period, long[]> out = new LinkedHashMap<>();
        scan(stores.<long[]>store(StoreNames.stats(scope)), code + "|" + kind.label())
                .forEach(e -> out.put(Period.decode(e.key.substring(code.length() + 1)), e.value));
        return out;
    }

    /**
     * The member shares of a cluster whose period starts with {@code periodPrefix} (such as
     * {@code attendance_year:2023-2024}): period -> member -> counts. A narrow prefix keeps the
     * scan off the many school days.
     */
    public Map<Period, Map<String, long[]>> memberShares(String clusterId, String periodPrefix) {
        Map<Period, Map<String, long[]>> out = new LinkedHashMap<>();
        String prefix = clusterId + "|";
        String scanned = prefix + periodPrefix;
        scan(stores.<long[]>store(StoreNames.CLUSTER_MEMBER_STATS), scanned).forEach(e -> {
            String rest = e.key.substring(prefix.length());
            int bar = rest.lastIndexOf('|');
            out.computeIfAbsent(Period.decode(rest.substring(0, bar)), p -> new TreeMap<>())
                    .put(rest.substring(bar + 1), e.value);
        });
        return out;
    }

    /** A member's name as its stage last sent it, or its code. */
    public String memberName(String clusterId, String member) {
        String name = stores.<String>store(StoreNames.CLUSTER_MEMBER_NAMES).get(clusterId + "|" + member);
        return name == null ? member : name;
    }

    private static <V> List<KeyValue<String, V>> scan(ReadOnlyKeyValueStore<String, V> store, String prefix) {
        List<KeyValue<String, V>> out = new ArrayList<>();
        try (KeyValueIterator<String, V> it = store.prefixScan(prefix, new StringSerializer())) {
            it.forEachRemaining(out::add);
        }
        return out;
    }
}
