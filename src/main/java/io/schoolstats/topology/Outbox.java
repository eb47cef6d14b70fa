package io.schoolstats.topology;

import io.schoolstats.reference.Scope;
import io.schoolstats.stats.Counts;
import io.schoolstats.topology.Messages.Deltas;
import io.schoolstats.topology.Messages.PeriodDelta;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

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
    /** Sends one aggregate's current value (null: gone). */
    interface ChangedSink {
        void send(String statsKey, String code, String period, long now);
    }

    /** Sends deltas to a unit; {@code from} and its name are set for a cluster's member. */
    interface DeltaSink {
        void send(Scope target, String code, Deltas deltas, long now);
    }

    /** The display name of a member code. */
    interface Names {
        String of(String code);
    }

    private final KeyValueStore<String, String> changed;
    private final KeyValueStore<String, long[]> pending;

    /** Either store may be null for a stage that owes only the other kind. */
    Outbox(KeyValueStore<String, String> changed, KeyValueStore<String, long[]> pending) {
        this.changed = changed;
        this.pending = pending;
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
    void flush(long now, ChangedSink changedSink, DeltaSink deltaSink, Names names) {
        if (changed != null) {
            for (String key : keys(changed)) {
                int bar = key.indexOf('|');
                changedSink.send(key, key.substring(0, bar), key.substring(bar + 1), now);
                changed.delete(key); // only once sent: a send that throws leaves it owed
            }
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
        byTarget.forEach((target, deltas) -> {
            String[] parts = target.split("\\|", -1);
            String from = parts[2].isEmpty() ? null : parts[2];
            deltaSink.send(Scope.fromLabel(parts[0]).orElseThrow(), parts[1],
                    new Deltas(deltas, from, from == null ? null : names.of(from)), now);
        });
        sent.forEach(pending::delete); // only once sent: a send that throws leaves them owed
    }

    private static List<String> keys(KeyValueStore<String, ?> store) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, ?> it = store.all()) {
            it.forEachRemaining(e -> keys.add(e.key));
        }
        return keys;
    }
}
