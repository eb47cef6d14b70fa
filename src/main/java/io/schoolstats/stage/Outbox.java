package io.schoolstats.stage;

import io.schoolstats.stage.StoreKeys.UnitPeriod;
import io.schoolstats.stats.Period;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The aggregates of a stage that changed since its last flush, by unit: each is sent downstream
 * once per flush (its {@code stats.*} record and its shares for the units above), whatever the
 * number of changes. During a replay hundreds of reports of one district arrive between two
 * flushes; sending one record instead of hundreds is most of the throughput (measured with the
 * benchmark).
 *
 * <p>Kept in memory: what a flush sends is the aggregates' current values, which the receivers
 * apply idempotently (a parent keeps each child's latest share; a {@code stats.*} record is an
 * upsert). So a stage that starts (after a crash, a move to another instance, an aborted
 * transaction) marks everything its stats store holds as changed and sends it all again: whatever
 * was committed and not yet sent is sent then, and the rest changes nothing. The one thing a
 * store cannot tell afterwards is an aggregate that vanished (its counts summed to zero and it
 * was deleted): those few are noted in a small changelogged store until a flush has sent their
 * tombstone and zero shares. A durable outbox of every change cost a third of the stream thread
 * (JFR profile of the benchmark, README Performance).
 */
final class Outbox {
    private final KeyValueStore<UnitPeriod, String> vanished;
    private Map<String, Set<Period>> changed = new LinkedHashMap<>();
    /** The keys of {@link #vanished}, so that nothing reads the store to find them. */
    private final Set<UnitPeriod> unsentVanished = new LinkedHashSet<>();

    /** The outbox of a stage whose store {@link #store} declared; marks every aggregate of {@code stats} as changed. */
    Outbox(ProcessorContext<?, ?> context, Stage stage, KeyValueStore<UnitPeriod, long[]> stats) {
        this.vanished = context.getStateStore(vanishedName(stage));
        try (KeyValueIterator<UnitPeriod, long[]> it = stats.all()) {
            it.forEachRemaining(e -> changed(e.key));
        }
        try (KeyValueIterator<UnitPeriod, String> it = vanished.all()) {
            it.forEachRemaining(e -> {
                changed(e.key);
                unsentVanished.add(e.key);
            });
        }
    }

    /** The store of a stage's vanished aggregates: small (emptied at every flush), in memory, changelogged. */
    static StoreBuilder<?> store(Stage stage) {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(vanishedName(stage)), UnitPeriod.SERDE,
                Serdes.String()).withCachingDisabled();
    }

    private static String vanishedName(Stage stage) {
        return stage.label() + "-vanished";
    }

    /** The aggregate changed. */
    void changed(UnitPeriod key) {
        changed.computeIfAbsent(key.code(), c -> new LinkedHashSet<>()).add(key.period());
    }

    /** The aggregate changed and is gone from the stats store. */
    void vanished(UnitPeriod key) {
        changed(key);
        if (unsentVanished.add(key)) {
            vanished.put(key, "");
        }
    }

    /** The unit's aggregates that vanished and were not sent yet: a reroute must withdraw them from the old parents too. */
    List<Period> vanishedOf(String code) {
        List<Period> out = new ArrayList<>();
        for (UnitPeriod key : unsentVanished) {
            if (key.code().equals(code)) {
                out.add(key.period());
            }
        }
        return out;
    }

    boolean isEmpty() {
        return changed.isEmpty();
    }

    /**
     * What changed since the last call, by unit code, and forgets it: the caller sends all of it
     * in the same punctuation, so the vanished ones are forgotten durably in the same transaction.
     */
    Map<String, Set<Period>> drain() {
        Map<String, Set<Period>> out = changed;
        changed = new LinkedHashMap<>();
        for (UnitPeriod key : unsentVanished) {
            vanished.delete(key);
        }
        unsentVanished.clear();
        return out;
    }
}
