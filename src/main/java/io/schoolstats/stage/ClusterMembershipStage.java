package io.schoolstats.stage;

import io.schoolstats.reference.Cluster;
import io.schoolstats.stage.StoreKeys.Row;
import io.schoolstats.stage.UnitInput.ClusterChanged;
import io.schoolstats.stage.UnitInput.MembershipChanged;
import io.schoolstats.stage.UnitOutput.Forward;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Turns cluster rows (one per cluster and school year) into membership changes keyed by the
 * member's code, for the stage of the cluster's scope: comparing each row with the previous one,
 * a member that left gets "left", a member that joined gets "joined". The unit stages do the
 * rest. The row itself goes on to the cluster stage, keyed by clusterId, for names and heads.
 */
public final class ClusterMembershipStage implements Processor<String, Cluster, String, Forward> {
    /** Cluster rows as read, to diff memberships. */
    public static final String DEFINITIONS = "cluster-definitions";

    private ProcessorContext<String, Forward> context;
    private KeyValueStore<Row, Cluster> definitions;

    public static ProcessorSupplier<String, Cluster, String, Forward> supplier() {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, Cluster, String, Forward> get() {
                return new ClusterMembershipStage();
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DEFINITIONS), Row.SERDE,
                        InternalCodec.CLUSTER).withCachingDisabled());
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, Forward> context) {
        this.context = context;
        this.definitions = context.getStateStore(DEFINITIONS);
    }

    /** Keyed by the topic's key, {@code clusterId|schoolYear}; a null value deletes. */
    @Override
    public void process(Record<String, Cluster> record) {
        io.schoolstats.reference.RowKey topicKey = io.schoolstats.reference.RowKey.decode(record.key());
        Row key = new Row(topicKey.id(), topicKey.schoolYear());
        Cluster old = definitions.get(key);
        Cluster now = record.value();
        if (now == null) {
            definitions.delete(key);
        } else {
            definitions.put(key, now);
        }
        for (String member : members(old)) {
            if (!isMember(now, Stage.of(old.scope()), member)) {
                send(record, old, member, false);
            }
        }
        for (String member : members(now)) {
            if (!isMember(old, Stage.of(now.scope()), member)) {
                send(record, now, member, true);
            }
        }
        if (old != null || now != null) {
            context.forward(record.withKey(key.code())
                    .withValue(new Forward(Stage.CLUSTER, new ClusterChanged(key.schoolYear(), now))));
        }
    }

    private static Set<String> members(Cluster cluster) {
        return cluster == null ? Set.of() : new LinkedHashSet<>(cluster.members());
    }

    /** Districts and communes are one stage: a cluster changing between the two keeps its members. */
    private static boolean isMember(Cluster cluster, Stage stage, String member) {
        return cluster != null && Stage.of(cluster.scope()) == stage && cluster.members().contains(member);
    }

    private void send(Record<String, Cluster> record, Cluster cluster, String member, boolean joined) {
        MembershipChanged change = new MembershipChanged(cluster.clusterId(), cluster.schoolYear(), joined);
        context.forward(record.withKey(member).withValue(new Forward(Stage.of(cluster.scope()), change)));
    }
}
