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
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorContext;
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

    /**
     * The outbox of a stage, on the stores that {@link #stores} declared for it.
     *
     * @param owes false for a stage that owes only changed aggregates (the cluster stage)
     */
    Outbox(ProcessorContext<?, ?> context, Stage stage, boolean owes) {
        this.changed = context.getStateStore(changedName(stage));
        this.owed = owes ? context.getStateStore(owedName(stage)) : null;
    }

    /** The stores of a stage's outbox: small, in memory, changelogged. */
    static List<StoreBuilder<?>> stores(Stage stage, boolean owes) {
        List<StoreBuilder<?>> stores = new ArrayList<>();
        stores.add(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(changedName(stage)),
                UnitPeriod.SERDE, Serdes.String()).withCachingEnabled());
        if (owes) {
            stores.add(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(owedName(stage)),
                    Owed.SERDE, new CountsSerde()).withCachingEnabled());
        }
        return stores;
    }

    private static String changedName(Stage stage) {
        return stage.label() + "-changed";
    }

    private static String owedName(Stage stage) {
        return stage.label() + "-pending";
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
