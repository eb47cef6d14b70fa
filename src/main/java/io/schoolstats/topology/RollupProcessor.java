package io.schoolstats.topology;

import io.schoolstats.reference.Scope;
import io.schoolstats.stats.Counts;
import io.schoolstats.stats.Kind;
import io.schoolstats.stats.Period;
import io.schoolstats.topology.Messages.Deltas;
import io.schoolstats.topology.Messages.Forward;
import io.schoolstats.topology.Messages.MembershipChanged;
import io.schoolstats.topology.Messages.PeriodDelta;
import io.schoolstats.topology.Messages.StatsChanged;
import io.schoolstats.topology.Messages.UnitChanged;
import io.schoolstats.topology.Messages.UnitInput;
import io.schoolstats.topology.Messages.UnitOutput;
import io.schoolstats.topology.Messages.UnitRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One unit stage (district or province), partitioned by the unit's code.
 *
 * <p>It sums the deltas it receives into the unit's aggregates and passes them on, unchanged,
 * to the units it rolls up into: its parent (a district's province) and the clusters it is a
 * member of for the delta's school year. A unit rolls up only while its reference row exists.
 * When the parent, the row's existence or a membership changes, it sends -aggregate to what it
 * left and +aggregate to what it joined. So, in any order of arrival, a parent's aggregate is
 * the sum of its registered children's, and nothing is counted twice.
 */
final class RollupProcessor implements Processor<String, UnitInput, String, UnitOutput> {
    private final Scope scope;
    private final Scope parentScope;
    private final java.time.Duration flushInterval;
    private ProcessorContext<String, UnitOutput> context;
    private Outbox outbox;
    private KeyValueStore<String, long[]> stats;
    private KeyValueStore<String, UnitRef> refs;
    private KeyValueStore<String, String> memberships;

    /**
     * @param parentScope   the scope of the unit this one rolls up into, or null
     * @param flushInterval how often what is owed downstream is sent (see {@link Outbox})
     */
    RollupProcessor(Scope scope, Scope parentScope, java.time.Duration flushInterval) {
        this.scope = scope;
        this.parentScope = parentScope;
        this.flushInterval = flushInterval;
    }

    @Override
    public void init(ProcessorContext<String, UnitOutput> context) {
        this.context = context;
        this.stats = context.getStateStore(StoreNames.stats(scope));
        this.refs = context.getStateStore(StoreNames.refs(scope));
        this.memberships = context.getStateStore(StoreNames.memberships(scope));
        this.outbox = new Outbox(context.getStateStore(StoreNames.changed(scope)),
                context.getStateStore(StoreNames.pending(scope)));
        context.schedule(flushInterval, org.apache.kafka.streams.processor.PunctuationType.WALL_CLOCK_TIME, now ->
                outbox.flush(now,
                        (key, code, period, t) -> context.forward(new Record<>(key,
                                new StatsChanged(scope.label(), code, period, stats.get(key)), t)),
                        (target, code, deltas, t) -> context.forward(new Record<>(code, new Forward(target, deltas), t)),
                        code -> {
                            UnitRef ref = refs.get(code);
                            return ref == null ? null : ref.name();
                        }));
    }

    @Override
    public void process(Record<String, UnitInput> record) {
        String code = record.key();
        if (record.value() instanceof Deltas deltas) {
            apply(record, code, deltas.deltas());
        } else if (record.value() instanceof UnitChanged changed) {
            unitChanged(record, code, changed.ref());
        } else if (record.value() instanceof MembershipChanged membership) {
            membershipChanged(record, code, membership);
        }
    }

    private void apply(Record<String, UnitInput> record, String code, List<PeriodDelta> deltas) {
        for (PeriodDelta delta : deltas) {
            String key = code + "|" + delta.period();
            long[] now = Counts.orNull(Counts.plus(stats.get(key), delta.counts()));
            if (now == null) {
                stats.delete(key);
            } else {
                stats.put(key, now);
            }
            outbox.changed(key);
        }
        UnitRef ref = refs.get(code);
        if (ref == null) {
            return;
        }
        if (parentScope != null && ref.parent() != null) {
            outbox.send(parentScope, ref.parent(), null, deltas);
        }
        Map<String, List<PeriodDelta>> byCluster = new LinkedHashMap<>();
        for (PeriodDelta delta : deltas) {
            Period period = Period.decode(delta.period());
            for (String[] membership : memberships(code, period.schoolYear())) {
                byCluster.computeIfAbsent(membership[1], k -> new ArrayList<>()).add(
                        new PeriodDelta(period.forClusterYear(membership[0]).encode(), delta.counts()));
            }
        }
        byCluster.forEach((cluster, list) -> outbox.send(Scope.CLUSTER, cluster, code, list));
    }

    private void unitChanged(Record<String, UnitInput> record, String code, UnitRef ref) {
        UnitRef old = refs.get(code);
        if (ref == null) {
            refs.delete(code);
        } else {
            refs.put(code, ref);
        }
        if (parentScope != null) {
            String from = old == null ? null : old.parent();
            String to = ref == null ? null : ref.parent();
            if (!Objects.equals(from, to)) {
                List<PeriodDelta> all = aggregates(code, null);
                if (from != null) {
                    outbox.send(parentScope, from, null, SchoolProcessor.negate(all));
                }
                if (to != null) {
                    outbox.send(parentScope, to, null, all);
                }
            }
        }
        if ((old == null) != (ref == null)) {
            int sign = ref == null ? -1 : 1;
            UnitRef named = ref == null ? old : ref;
            for (String[] membership : memberships(code, null)) {
                sendToCluster(record, named, membership[0], membership[1], sign);
            }
        } else if (ref != null && !Objects.equals(old.name(), ref.name())) {
            // Clusters show their members by name: tell them about a new one.
            for (String[] membership : memberships(code, null)) {
                forward(record, Scope.CLUSTER, membership[1], new Deltas(List.of(), code, ref.name()));
            }
        }
    }

    private void membershipChanged(Record<String, UnitInput> record, String code, MembershipChanged change) {
        String key = code + "|" + change.schoolYear() + "|" + change.clusterId();
        boolean wasMember = memberships.get(key) != null;
        if (wasMember == change.member()) {
            return;
        }
        if (change.member()) {
            memberships.put(key, change.clusterId());
        } else {
            memberships.delete(key);
        }
        UnitRef ref = refs.get(code);
        if (ref != null) {
            sendToCluster(record, ref, change.schoolYear(), change.clusterId(), change.member() ? 1 : -1);
        }
    }

    /** Sends +/- every aggregate of the unit that belongs to the cluster's school year. */
    private void sendToCluster(Record<String, UnitInput> record, UnitRef unit, String schoolYear, String clusterId,
                               int sign) {
        List<PeriodDelta> all = aggregates(unit.code(), schoolYear);
        List<PeriodDelta> forCluster = new ArrayList<>(all.size());
        for (PeriodDelta d : all) {
            String period = Period.decode(d.period()).forClusterYear(schoolYear).encode();
            forCluster.add(new PeriodDelta(period, sign < 0 ? Counts.negate(d.counts()) : d.counts()));
        }
        outbox.send(Scope.CLUSTER, clusterId, unit.code(), forCluster);
    }

    /**
     * The unit's aggregates; with a school year, only those of that year plus the yearless
     * registered count (which a cluster of that year counts too).
     */
    private List<PeriodDelta> aggregates(String code, String schoolYear) {
        List<PeriodDelta> all = new ArrayList<>();
        try (KeyValueIterator<String, long[]> it = stats.prefixScan(code + "|", new StringSerializer())) {
            while (it.hasNext()) {
                KeyValue<String, long[]> entry = it.next();
                String period = entry.key.substring(code.length() + 1);
                if (schoolYear != null) {
                    Period p = Period.decode(period);
                    if (p.kind() != Kind.REGISTERED && !schoolYear.equals(p.schoolYear())) {
                        continue;
                    }
                }
                all.add(new PeriodDelta(period, entry.value));
            }
        }
        return all;
    }

    /**
     * The unit's cluster memberships as {schoolYear, clusterId} pairs: of one school year, or of
     * every year when schoolYear is null (a yearless aggregate counts in each year's clusters).
     */
    private List<String[]> memberships(String code, String schoolYear) {
        List<String[]> found = new ArrayList<>();
        String prefix = schoolYear == null ? code + "|" : code + "|" + schoolYear + "|";
        try (KeyValueIterator<String, String> it = memberships.prefixScan(prefix, new StringSerializer())) {
            while (it.hasNext()) {
                KeyValue<String, String> entry = it.next();
                String[] parts = entry.key.split("\\|");
                found.add(new String[] {parts[1], parts[2]});
            }
        }
        return found;
    }

    private void forward(Record<String, UnitInput> record, Scope target, String code, Deltas deltas) {
        context.forward(record.withKey(code).withValue(new Forward(target, deltas)));
    }
}
