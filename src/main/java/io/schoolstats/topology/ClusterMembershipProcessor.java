package io.schoolstats.topology;

import io.schoolstats.reference.Cluster;
import io.schoolstats.reference.Scope;
import io.schoolstats.topology.Messages.Membership;
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
 * member that joined gets "joined". The unit stages do the rest.
 */
final class ClusterMembershipProcessor implements Processor<String, Cluster, String, Membership> {
    static final String REFS = "cluster-refs";

    private ProcessorContext<String, Membership> context;
    private KeyValueStore<String, Cluster> refs;

    @Override
    public void init(ProcessorContext<String, Membership> context) {
        this.context = context;
        this.refs = context.getStateStore(REFS);
    }

    @Override
    public void process(Record<String, Cluster> record) {
        Cluster old = refs.get(record.key());
        Cluster now = record.value();
        if (now == null) {
            refs.delete(record.key());
        } else {
            refs.put(record.key(), now);
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
    }

    private static Set<String> members(Cluster cluster) {
        return cluster == null ? Set.of() : new LinkedHashSet<>(cluster.members());
    }

    private static boolean isMember(Cluster cluster, Scope scope, String member) {
        return cluster != null && cluster.scope() == scope && cluster.members().contains(member);
    }

    private void send(Record<String, Cluster> record, Cluster cluster, String member, boolean joined) {
        MembershipChanged change = new MembershipChanged(cluster.clusterId(), cluster.schoolYear(), joined);
        context.forward(record.withKey(member).withValue(new Membership(cluster.scope(), change)));
    }
}
