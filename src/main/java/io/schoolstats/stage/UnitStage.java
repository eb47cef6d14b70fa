package io.schoolstats.stage;

import io.schoolstats.reference.Scope;
import io.schoolstats.stage.StoreKeys.Membership;
import io.schoolstats.stage.StoreKeys.Row;
import io.schoolstats.stage.StoreKeys.UnitPeriod;
import io.schoolstats.stage.UnitInput.Deltas;
import io.schoolstats.stage.UnitInput.Member;
import io.schoolstats.stage.UnitInput.MembershipChanged;
import io.schoolstats.stage.UnitOutput.Forward;
import io.schoolstats.stage.UnitOutput.StatsChanged;
import io.schoolstats.stats.Counts;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * A unit stage: local units (districts and communes) or provinces, partitioned by the unit's code.
 *
 * <p>It sums the deltas it receives into the unit's aggregates and passes them on, through the
 * unit's {@link Routing}, to its parent in force for each school year (a local unit's province)
 * and to the clusters it belongs to that year. When a row or a membership changes, it sends
 * the new routing minus the old for everything it holds. So, in any order of arrival, a parent's
 * aggregate of year Y is the sum of its children in force for Y, and nothing is counted twice.
 */
public final class UnitStage implements Processor<String, UnitInput, String, UnitOutput> {
    private static final List<Scope> LOCAL_SCOPES = List.of(Scope.DISTRICT, Scope.COMMUNE);

    private final Stage stage;
    private final Duration flushInterval;
    private ProcessorContext<String, UnitOutput> context;
    private KeyValueStore<UnitPeriod, long[]> stats;
    private RowStore rows;
    private Outbox outbox;
    /**
     * Each unit's routing as last read from its rows: a unit's rows and memberships change only
     * through this processor, which drops the entry then; rebuilt from the stores after a restart.
     */
    private final Map<String, Routing> routings = new HashMap<>();

    private UnitStage(Stage stage, Duration flushInterval) {
        this.stage = stage;
        this.flushInterval = flushInterval;
    }

    /** Aggregates of the stage's units. */
    public static String statsStore(Stage stage) {
        return stage.label() + "-stats";
    }

    /** Reference rows of the stage's units, timeless and per school year. */
    public static String rowsStore(Stage stage) {
        return stage.label() + "-rows";
    }

    /** Cluster memberships of the stage's units, per school year. */
    public static String membershipsStore(Stage stage) {
        return stage.label() + "-clusters";
    }

    /**
     * @param stage         {@link Stage#LOCAL} or {@link Stage#PROVINCE}
     * @param flushInterval how often what is owed downstream is sent (see {@link Outbox})
     */
    public static ProcessorSupplier<String, UnitInput, String, UnitOutput> supplier(Stage stage, Duration flushInterval) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, UnitInput, String, UnitOutput> get() {
                return new UnitStage(stage, flushInterval);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                // Updated by every report of the unit's schools: the record cache folds them between commits.
                Set<StoreBuilder<?>> stores = new HashSet<>(Outbox.stores(stage, true));
                stores.add(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(statsStore(stage)), UnitPeriod.SERDE,
                        new CountsSerde()).withCachingEnabled());
                stores.add(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(rowsStore(stage)), Row.SERDE,
                        InternalCodec.UNIT_ROW).withCachingEnabled());
                stores.add(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(membershipsStore(stage)),
                        Membership.SERDE, Serdes.String()).withCachingEnabled());
                return stores;
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, UnitOutput> context) {
        this.context = context;
        this.stats = context.getStateStore(statsStore(stage));
        this.rows = new RowStore(context.getStateStore(rowsStore(stage)), context.getStateStore(membershipsStore(stage)));
        this.outbox = new Outbox(context, stage, true);
        context.schedule(flushInterval, PunctuationType.WALL_CLOCK_TIME, now -> {
            Function<String, Routing> routing = this::routing;
            outbox.flush(
                    changed -> {
                        long[] counts = stats.get(changed);
                        Scope scope = UnitRow.scope(routing.apply(changed.code()).row(changed.period().schoolYear()), stage);
                        // A vanished aggregate may have been published under another scope than the row's now
                        // (the row changed while it was zero): its tombstone goes to every topic of the stage.
                        for (Scope topic : counts == null && stage == Stage.LOCAL ? LOCAL_SCOPES : List.of(scope)) {
                            context.forward(new Record<>(changed.code(), new StatsChanged(topic, changed.code(),
                                    changed.period(), counts), now));
                        }
                    },
                    (target, from, clusterYear, deltas) -> context.forward(new Record<>(target.code(),
                            new Forward(target.stage(), new Deltas(deltas, clusterYear == null ? null
                                    : member(from, clusterYear, routing.apply(from)))), now)));
        });
    }

    @Override
    public void process(Record<String, UnitInput> record) {
        String code = record.key();
        if (record.value() instanceof Deltas deltas) {
            Routing routing = routing(code);
            Routing.Sink owed = owe(code);
            for (PeriodDelta delta : deltas.deltas()) {
                UnitPeriod key = new UnitPeriod(code, delta.period());
                long[] now = Counts.orNull(Counts.plus(stats.get(key), delta.counts()));
                if (now == null) {
                    stats.delete(key);
                } else {
                    stats.put(key, now);
                }
                outbox.changed(key);
                routing.route(delta.period(), delta.counts(), owed);
            }
        } else if (record.value() instanceof RowChanged changed) {
            Routing before = routing(code);
            rows.put(code, changed.schoolYear(), changed.row());
            routings.remove(code);
            Routing after = routing(code);
            reroute(record, code, before, after);
            renameInClusters(record, code, before, after);
        } else if (record.value() instanceof MembershipChanged change) {
            Routing before = routing(code);
            if (rows.member(code, change.schoolYear(), change.clusterId(), change.member())) {
                routings.remove(code);
                reroute(record, code, before, routing(code));
            }
        }
    }

    private Routing routing(String code) {
        return routings.computeIfAbsent(code, rows::routing);
    }

    /**
     * Everything the unit holds, routed anew: the new routing minus the old. An aggregate is
     * published on the topic of the unit's scope in its school year ({@code stats.district} or
     * {@code stats.commune}): one whose scope changed is deleted from the old topic and sent again
     * on the new.
     */
    private void reroute(Record<String, UnitInput> record, String code, Routing before, Routing after) {
        Routing.Sink sink = owe(code);
        try (KeyValueIterator<UnitPeriod, long[]> it = stats.prefixScan(UnitPeriod.prefix(code), StoreKeys.PREFIX)) {
            it.forEachRemaining(e -> {
                before.route(e.key.period(), Counts.negate(e.value), sink);
                after.route(e.key.period(), e.value, sink);
                String year = e.key.period().schoolYear();
                Scope was = UnitRow.scope(before.row(year), stage);
                if (was != UnitRow.scope(after.row(year), stage)) {
                    context.forward(record.withKey(code).withValue(new StatsChanged(was, code, e.key.period(), null)));
                    outbox.changed(e.key);
                }
            });
        }
    }

    /** Clusters label their members with the name in force for their school year: tell them of a new one. */
    private void renameInClusters(Record<String, UnitInput> record, String code, Routing before, Routing after) {
        for (String year : after.schoolYears()) {
            UnitRow now = after.row(year);
            UnitRow old = before.row(year);
            if (now != null && (old == null || !Objects.equals(old.name(), now.name())
                    || old.scope() != now.scope())) {
                for (String cluster : after.clusters(year)) {
                    context.forward(record.withKey(cluster).withValue(new Forward(Stage.CLUSTER,
                            new Deltas(List.of(), member(code, year, after)))));
                }
            }
        }
    }

    private Routing.Sink owe(String code) {
        return (target, clusterYear, period, counts) -> outbox.owe(target, code, clusterYear, period, counts);
    }

    /** The unit as a cluster of that school year shows it. */
    private Member member(String code, String clusterYear, Routing routing) {
        UnitRow row = routing.row(clusterYear);
        return new Member(code, clusterYear, UnitRow.scope(row, stage).label(), row == null ? code : row.name());
    }
}
