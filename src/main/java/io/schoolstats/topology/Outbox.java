package io.schoolstats.topology;

import io.schoolstats.reference.Scope;
import io.schoolstats.stats.Counts;
import io.schoolstats.topology.Messages.Deltas;
import io.schoolstats.topology.Messages.Forward;
import io.schoolstats.topology.Messages.PeriodDelta;
import io.schoolstats.topology.Messages.StatsChanged;
import io.schoolstats.topology.Messages.UnitOutput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * What a unit stage owes downstream, folded between flushes: the aggregates that changed (one
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
    private final ProcessorContext<String, UnitOutput> context;
    private final Scope scope;
    private final KeyValueStore<String, long[]> stats;
    private final KeyValueStore<String, String> changed;
    private final KeyValueStore<String, long[]> pending;
    private final Function<String, String> nameOf;

    /**
     * @param pendingStore null for a stage that sends nothing up
     * @param nameOf       the display name of a member code, sent with deltas for clusters
     */
    Outbox(ProcessorContext<String, UnitOutput> context, Scope scope, KeyValueStore<String, long[]> stats,
           String changedStore, String pendingStore, Function<String, String> nameOf) {
        this.context = context;
        this.scope = scope;
        this.stats = stats;
        this.changed = context.getStateStore(changedStore);
        this.pending = pendingStore == null ? null : context.getStateStore(pendingStore);
        this.nameOf = nameOf;
    }

    /** The aggregate under {@code code|period} changed. */
    void changed(String statsKey) {
        changed.put(statsKey, "");
    }

    /** Adds deltas for a unit of another scope; {@code from} names the member for a cluster. */
    void send(Scope target, String code, String from, List<PeriodDelta> deltas) {
        String prefix = target.label() + "|" + code + "|" + (from == null ? "" : from) + "|";
        for (PeriodDelta delta : deltas) {
            String key = prefix + delta.period();
            long[] sum = Counts.orNull(Counts.plus(pending.get(key), delta.counts()));
            if (sum == null) {
                pending.delete(key);
            } else {
                pending.put(key, sum);
            }
        }
    }

    /** Sends everything owed. */
    void flush(long now) {
        for (String key : keys(changed)) {
            int bar = key.indexOf('|');
            context.forward(new Record<>(key, new StatsChanged(scope.label(), key.substring(0, bar), key.substring(bar + 1),
                    stats.get(key)), now));
            changed.delete(key);
        }
        if (pending == null) {
            return;
        }
        Map<String, List<PeriodDelta>> byTarget = new LinkedHashMap<>();
        List<String> sent = new ArrayList<>();
        try (KeyValueIterator<String, long[]> it = pending.all()) {
            while (it.hasNext()) {
                KeyValue<String, long[]> entry = it.next();
                int last = entry.key.lastIndexOf('|');
                byTarget.computeIfAbsent(entry.key.substring(0, last), k -> new ArrayList<>())
                        .add(new PeriodDelta(entry.key.substring(last + 1), entry.value));
                sent.add(entry.key);
            }
        }
        sent.forEach(pending::delete);
        byTarget.forEach((target, deltas) -> {
            String[] parts = target.split("\\|", -1);
            Scope targetScope = Scope.fromLabel(parts[0]).orElseThrow();
            String from = parts[2].isEmpty() ? null : parts[2];
            Deltas message = new Deltas(deltas, from, from == null ? null : nameOf.apply(from));
            context.forward(new Record<>(parts[1], new Forward(targetScope, message), now));
        });
    }

    private static List<String> keys(KeyValueStore<String, ?> store) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, ?> it = store.all()) {
            it.forEachRemaining(e -> keys.add(e.key));
        }
        return keys;
    }
}
