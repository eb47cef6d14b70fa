package io.schoolstats.stage;

import io.schoolstats.stage.StoreKeys.Membership;
import io.schoolstats.stage.StoreKeys.Row;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** A stage's reference rows (and, for units, cluster memberships): what {@link Routing} is made of. */
final class RowStore {
    private final KeyValueStore<Row, UnitRow> rows;
    private final KeyValueStore<Membership, String> memberships;

    /** {@code memberships} is null for schools (they belong to no cluster). */
    RowStore(KeyValueStore<Row, UnitRow> rows, KeyValueStore<Membership, String> memberships) {
        this.rows = rows;
        this.memberships = memberships;
    }

    void put(String code, String schoolYear, UnitRow row) {
        if (row == null) {
            rows.delete(new Row(code, schoolYear));
        } else {
            rows.put(new Row(code, schoolYear), row);
        }
    }

    /** Records joining or leaving a cluster; false when nothing changed. */
    boolean member(String code, String schoolYear, String clusterId, boolean member) {
        Membership key = new Membership(code, schoolYear, clusterId);
        if ((memberships.get(key) != null) == member) {
            return false;
        }
        if (member) {
            memberships.put(key, clusterId);
        } else {
            memberships.delete(key);
        }
        return true;
    }

    /** Everything a unit's routing depends on: every row and membership it has. */
    Routing routing(String code) {
        UnitRow timeless = null;
        Map<String, UnitRow> years = new HashMap<>();
        try (KeyValueIterator<Row, UnitRow> it = rows.prefixScan(Row.prefix(code), StoreKeys.PREFIX)) {
            while (it.hasNext()) {
                KeyValue<Row, UnitRow> e = it.next();
                if (e.key.schoolYear() == null) {
                    timeless = e.value;
                } else {
                    years.put(e.key.schoolYear(), e.value);
                }
            }
        }
        Map<String, Set<String>> clusters = new HashMap<>();
        if (memberships != null) {
            try (KeyValueIterator<Membership, String> it = memberships.prefixScan(Membership.prefix(code),
                    StoreKeys.PREFIX)) {
                it.forEachRemaining(e -> clusters.computeIfAbsent(e.key.schoolYear(), y -> new TreeSet<>())
                        .add(e.key.clusterId()));
            }
        }
        return new Routing(timeless, years, clusters);
    }
}
