package io.schoolstats.topology;

import io.schoolstats.reference.Cluster;
import io.schoolstats.reference.Scope;
import io.schoolstats.stats.Counts;
import io.schoolstats.topology.Messages.ClusterChanged;
import io.schoolstats.topology.Messages.Deltas;
import io.schoolstats.topology.Messages.PeriodDelta;
import io.schoolstats.topology.Messages.UnitInput;
import io.schoolstats.topology.Messages.UnitOutput;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The cluster stage, partitioned by clusterId. It sums its members' deltas into the cluster's
 * aggregates and also keeps each member's share ({@code clusterId|period|member}), from which
 * the members are ranked, plus the cluster's rows and its members' names for display.
 */
final class ClusterProcessor implements Processor<String, UnitInput, String, UnitOutput> {
    private ProcessorContext<String, UnitOutput> context;
    private KeyValueStore<String, long[]> stats;
    private KeyValueStore<String, long[]> memberStats;
    private KeyValueStore<String, String> memberNames;
    private KeyValueStore<String, Cluster> info;
    private Outbox outbox;
    private final java.time.Duration flushInterval;

    ClusterProcessor(java.time.Duration flushInterval) {
        this.flushInterval = flushInterval;
    }

    @Override
    public void init(ProcessorContext<String, UnitOutput> context) {
        this.context = context;
        this.stats = context.getStateStore(StoreNames.stats(Scope.CLUSTER));
        this.memberStats = context.getStateStore(StoreNames.CLUSTER_MEMBER_STATS);
        this.memberNames = context.getStateStore(StoreNames.CLUSTER_MEMBER_NAMES);
        this.info = context.getStateStore(StoreNames.CLUSTER_INFO);
        this.outbox = new Outbox(context.getStateStore(StoreNames.changed(Scope.CLUSTER)), null);
        context.schedule(flushInterval, org.apache.kafka.streams.processor.PunctuationType.WALL_CLOCK_TIME, now ->
                outbox.flush(now, (key, code, period, t) -> context.forward(new Record<>(key,
                        new Messages.StatsChanged(Scope.CLUSTER.label(), code, period, stats.get(key)), t)), null, null));
    }

    @Override
    public void process(Record<String, UnitInput> record) {
        String clusterId = record.key();
        if (record.value() instanceof ClusterChanged changed) {
            String key = clusterId + "|" + changed.schoolYear();
            if (changed.cluster() == null) {
                info.delete(key);
            } else {
                info.put(key, changed.cluster());
            }
        } else if (record.value() instanceof Deltas deltas) {
            if (deltas.from() != null && deltas.fromName() != null) {
                memberNames.put(clusterId + "|" + deltas.from(), deltas.fromName());
            }
            for (PeriodDelta delta : deltas.deltas()) {
                String key = clusterId + "|" + delta.period();
                add(stats, key, delta.counts());
                outbox.changed(key);
                if (deltas.from() != null) {
                    add(memberStats, key + "|" + deltas.from(), delta.counts());
                }
            }
        }
    }

    private static long[] add(KeyValueStore<String, long[]> store, String key, long[] delta) {
        long[] now = Counts.orNull(Counts.plus(store.get(key), delta));
        if (now == null) {
            store.delete(key);
        } else {
            store.put(key, now);
        }
        return now;
    }
}
