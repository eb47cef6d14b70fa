package io.schoolstats.stage;

import io.schoolstats.reference.Cluster;
import io.schoolstats.reference.Scope;
import io.schoolstats.stage.StoreKeys.MemberShare;
import io.schoolstats.stage.StoreKeys.Row;
import io.schoolstats.stage.StoreKeys.UnitPeriod;
import io.schoolstats.stage.UnitInput.ClusterChanged;
import io.schoolstats.stage.UnitInput.Deltas;
import io.schoolstats.stage.UnitInput.Member;
import io.schoolstats.stage.UnitOutput.StatsChanged;
import io.schoolstats.stats.Counts;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The cluster stage, partitioned by clusterId. It sums its members' deltas into the cluster's
 * aggregates and also keeps each member's share, from which the members are ranked, plus the
 * cluster's rows and its members' names (as of each school year) for display.
 */
public final class ClusterStage implements Processor<String, UnitInput, String, UnitOutput> {
    public static final String STATS = UnitStage.statsStore(Stage.CLUSTER);
    /** Each member's share of a cluster aggregate. */
    public static final String MEMBER_STATS = "cluster-member-stats";
    /** Members' names and scopes as of each school year, as their stages last sent them. */
    public static final String MEMBERS = "cluster-members";
    /** Cluster rows per school year. */
    public static final String ROWS = "cluster-rows";

    private final Duration flushInterval;
    private KeyValueStore<UnitPeriod, long[]> stats;
    private KeyValueStore<MemberShare, long[]> memberStats;
    private KeyValueStore<StoreKeys.YearMember, Member> members;
    private KeyValueStore<Row, Cluster> rows;
    private Outbox outbox;

    private ClusterStage(Duration flushInterval) {
        this.flushInterval = flushInterval;
    }

    public static ProcessorSupplier<String, UnitInput, String, UnitOutput> supplier(Duration flushInterval) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, UnitInput, String, UnitOutput> get() {
                return new ClusterStage(flushInterval);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                Set<StoreBuilder<?>> stores = new java.util.HashSet<>(Outbox.stores(Stage.CLUSTER, false));
                stores.addAll(List.of(
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STATS), UnitPeriod.SERDE,
                                new CountsSerde()).withCachingEnabled(),
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MEMBER_STATS), MemberShare.SERDE,
                                new CountsSerde()).withCachingEnabled(),
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MEMBERS), StoreKeys.YearMember.SERDE,
                                InternalCodec.MEMBER).withCachingEnabled(),
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ROWS), Row.SERDE,
                                InternalCodec.CLUSTER).withCachingEnabled()));
                return stores;
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, UnitOutput> context) {
        this.stats = context.getStateStore(STATS);
        this.memberStats = context.getStateStore(MEMBER_STATS);
        this.members = context.getStateStore(MEMBERS);
        this.rows = context.getStateStore(ROWS);
        this.outbox = new Outbox(context, Stage.CLUSTER, false);
        context.schedule(flushInterval, PunctuationType.WALL_CLOCK_TIME, now -> outbox.flush(
                changed -> context.forward(new Record<>(changed.code(), new StatsChanged(Scope.CLUSTER, changed.code(),
                        changed.period(), stats.get(changed)), now)), null));
    }

    @Override
    public void process(Record<String, UnitInput> record) {
        String clusterId = record.key();
        if (record.value() instanceof ClusterChanged changed) {
            Row key = new Row(clusterId, changed.schoolYear());
            if (changed.cluster() == null) {
                rows.delete(key);
            } else {
                rows.put(key, changed.cluster());
            }
        } else if (record.value() instanceof Deltas deltas) {
            Member from = deltas.from();
            if (from != null) {
                members.put(new StoreKeys.YearMember(clusterId, from.schoolYear(), from.code()), from);
            }
            for (PeriodDelta delta : deltas.deltas()) {
                UnitPeriod key = new UnitPeriod(clusterId, delta.period());
                add(stats, key, delta.counts());
                outbox.changed(key);
                if (from != null) {
                    add(memberStats, new MemberShare(clusterId, delta.period(), from.code()), delta.counts());
                }
            }
        }
    }

    private static <K> void add(KeyValueStore<K, long[]> store, K key, long[] delta) {
        long[] now = Counts.orNull(Counts.plus(store.get(key), delta));
        if (now == null) {
            store.delete(key);
        } else {
            store.put(key, now);
        }
    }
}
