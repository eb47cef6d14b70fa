package io.schoolstats.stage;

import io.schoolstats.stage.StoreKeys.Owed;
import io.schoolstats.stage.StoreKeys.UnitPeriod;
import io.schoolstats.stats.Counts;
import io.schoolstats.stats.Period;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * What a stage owes downstream, folded between flushes: the aggregates that changed (one
 * {@code stats.*} record each, whatever the number of changes) and the deltas for the units above
 * (summed per target and period). During a bulk replay hundreds of reports of one district
 * arrive between two flushes; sending one record instead of hundreds is most of the
 * throughput (measured with the benchmark).
 *
 * <p>Both are kept in changelogged stores, so that what is owed is committed with the input
 * that caused it: a crash between a commit and a flush loses nothing, the restored outbox is
 * flushed after the restart. Deltas commute, so sending them later changes no result.
 */
final class Outbox {
    /** Sends one aggregate's current value. */
    interface ChangedSink {
        void send(UnitPeriod changed);
    }

    /** Sends deltas to a unit; {@code from} owes them, {@code clusterYear} is set for a cluster. */
    interface DeltaSink {
        void send(Target target, String from, String clusterYear, List<PeriodDelta> deltas);
    }

    private final KeyValueStore<UnitPeriod, String> changed;
    private final KeyValueStore<Owed, long[]> owed;

    /** {@code owed} may be null for a stage that owes only changed aggregates. */
    Outbox(KeyValueStore<UnitPeriod, String> changed, KeyValueStore<Owed, long[]> owed) {
        this.changed = changed;
        this.owed = owed;
    }

    static StoreBuilder<KeyValueStore<UnitPeriod, String>> changedStore(Stage stage) {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(stage.label() + "-changed"),
                UnitPeriod.SERDE, Serdes.String()).withCachingEnabled();
    }

    static StoreBuilder<KeyValueStore<Owed, long[]>> owedStore(Stage stage) {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(stage.label() + "-pending"),
                Owed.SERDE, new CountsSerde()).withCachingEnabled();
    }

    /** The aggregate changed. */
    void changed(UnitPeriod key) {
        changed.put(key, "");
    }

    /** Adds deltas {@code from} owes a target (for a cluster, of the cluster's school year). */
    void owe(Target target, String from, String clusterYear, Period period, long[] counts) {
        Owed key = new Owed(target, from, clusterYear, period);
        long[] sum = Counts.orNull(Counts.plus(owed.get(key), counts));
        if (sum == null) {
            owed.delete(key);
        } else {
            owed.put(key, sum);
        }
    }

    /** Sends everything owed. */
    void flush(ChangedSink changedSink, DeltaSink deltaSink) {
        List<UnitPeriod> keys = new ArrayList<>();
        try (KeyValueIterator<UnitPeriod, String> it = changed.all()) {
            it.forEachRemaining(e -> keys.add(e.key));
        }
        for (UnitPeriod key : keys) {
            changedSink.send(key);
            changed.delete(key); // only once sent: a send that throws leaves it owed
        }
        if (owed == null) {
            return;
        }
        record Recipient(Target target, String from, String clusterYear) {
        }
        Map<Recipient, List<PeriodDelta>> byRecipient = new LinkedHashMap<>();
        List<Owed> sent = new ArrayList<>();
        try (KeyValueIterator<Owed, long[]> it = owed.all()) {
            while (it.hasNext()) {
                KeyValue<Owed, long[]> e = it.next();
                byRecipient.computeIfAbsent(new Recipient(e.key.target(), e.key.from(), e.key.schoolYear()),
                        k -> new ArrayList<>()).add(new PeriodDelta(e.key.period(), e.value));
                sent.add(e.key);
            }
        }
        byRecipient.forEach((r, deltas) -> deltaSink.send(r.target(), r.from(), r.clusterYear(), deltas));
        sent.forEach(owed::delete); // only once sent: a send that throws leaves them owed
    }
}
