package io.schoolstats.stage;

import io.schoolstats.stage.StoreKeys.UnitPeriod;
import io.schoolstats.stats.Period;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The aggregates of a stage that changed since its last flush, by unit: each is sent downstream
 * once per flush (its {@code stats.*} record and its shares for the units above), whatever the
 * number of changes. During a replay hundreds of reports of one district arrive between two
 * flushes; sending one record instead of hundreds is most of the throughput (measured with the
 * benchmark).
 *
 * <p>Kept in memory only, never in a store: what a flush sends is the aggregates' current values,
 * which the receivers apply idempotently (a parent keeps each child's latest share; a
 * {@code stats.*} record is an upsert). So a stage that starts (after a crash, a move to another
 * instance, an aborted transaction) marks everything it holds as changed and sends it all again:
 * whatever was committed and not yet sent is sent then, and the rest changes nothing. A durable
 * outbox of deltas cost a third of the stream thread (JFR profile of the benchmark,
 * README Performance).
 */
final class Outbox {
    private Map<String, Set<Period>> changed = new LinkedHashMap<>();

    /** The aggregate changed. */
    void changed(UnitPeriod key) {
        changed.computeIfAbsent(key.code(), c -> new LinkedHashSet<>()).add(key.period());
    }

    boolean isEmpty() {
        return changed.isEmpty();
    }

    /** What changed since the last call, by unit code, and forgets it. */
    Map<String, Set<Period>> drain() {
        Map<String, Set<Period>> out = changed;
        changed = new LinkedHashMap<>();
        return out;
    }
}
