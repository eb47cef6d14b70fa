package io.schoolstats.topology;

import io.schoolstats.reference.Cluster;
import io.schoolstats.reference.Scope;
import io.schoolstats.topology.Messages.ClusterChanged;
import io.schoolstats.topology.Messages.Forward;
import io.schoolstats.topology.Messages.MembershipChanged;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Turns cluster rows (keyed {@code clusterId|schoolYear}) into membership changes keyed by the
 * member's code: comparing each row with the previous one, a member that left gets "left", a
 * member that joined gets "joined". The unit stages do the rest. The row itself goes on to the
 * cluster stage, keyed by clusterId, which serves names and heads.
 */
final class ClusterMembershipProcessor implements Processor<String, Cluster, String, Forward> {
    private ProcessorContext<String, Forward> context;
    private KeyValueStore<String, Cluster> rows;

    @Override
    public void init(ProcessorContext<String, Forward> context) {
        this.context = context;
        this.rows = context.getStateStore(StoreNames.CLUSTER_ROWS);
    }

    @Override
    public void process(Record<String, Cluster> record) {
        Cluster old = rows.get(record.key());
        Cluster now = record.value();
        if (now == null) {
            rows.delete(record.key());
        } else {
            rows.put(record.key(), now);
        }
        for (String member : members(old)) {
            if (!isMember(now, old.scope(), member)) {
                send(record, old, member, false);
            }
        }
        for (String member : members(now)) {
            if (!isMember(old, now.scope(), member)) {
                send(record, now, member, true);
            }
        }
        Cluster any = now != null ? now : old;
        if (any != null) {
            context.forward(record.withKey(any.clusterId())
                    .withValue(new Forward(Scope.CLUSTER, new ClusterChanged(any.schoolYear(), now))));
        }
    }

    private static Set<String> members(Cluster cluster) {
        return cluster == null ? Set.of() : new LinkedHashSet<>(cluster.members());
    }

    private static boolean isMember(Cluster cluster, Scope scope, String member) {
        return cluster != null && cluster.scope() == scope && cluster.members().contains(member);
    }

    private void send(Record<String, Cluster> record, Cluster cluster, String member, boolean joined) {
        MembershipChanged change = new MembershipChanged(cluster.clusterId(), cluster.schoolYear(), joined);
        context.forward(record.withKey(member).withValue(new Forward(cluster.scope(), change)));
    }
}
