package io.schoolstats.stage;

import io.schoolstats.reference.Scope;
import io.schoolstats.stage.StoreKeys.MemberShare;
import io.schoolstats.stage.StoreKeys.Membership;
import io.schoolstats.stage.StoreKeys.Row;
import io.schoolstats.stage.StoreKeys.UnitPeriod;
import io.schoolstats.stage.UnitInput.Deltas;
import io.schoolstats.stage.UnitInput.Member;
import io.schoolstats.stage.UnitInput.MembershipChanged;
import io.schoolstats.stage.UnitInput.Shares;
import io.schoolstats.stage.UnitOutput.Forward;
import io.schoolstats.stage.UnitOutput.StatsChanged;
import io.schoolstats.stats.Counts;
import io.schoolstats.stats.Kind;
import io.schoolstats.stats.Period;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.Cancellable;
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
 * <p>It sums what it receives into the unit's aggregates: the deltas of schools, and the shares
 * of child units (a province's districts and communes), of which it keeps each child's latest
 * (a share sent twice changes nothing). It passes each changed aggregate on, once per flush, as
 * the unit's share, through the unit's {@link Routing}, to its parent in force for each school
 * year (a local unit's province) and to the clusters it belongs to that year. When a row or a
 * membership changes, it sends at once its shares under the new routing, and zero shares where
 * only the old routing sent any. So, in any order of arrival, a parent's aggregate of year Y is
 * the sum of its children in force for Y, and nothing is counted twice.
 */
public final class UnitStage implements Processor<String, UnitInput, String, UnitOutput> {
    private static final List<Scope> LOCAL_SCOPES = List.of(Scope.DISTRICT, Scope.COMMUNE);

    private final Stage stage;
    private final Duration flushInterval;
    private ProcessorContext<String, UnitOutput> context;
    private KeyValueStore<UnitPeriod, long[]> stats;
    /** The children's latest shares (a province's local units); null for the local stage, whose children are schools. */
    private KeyValueStore<MemberShare, long[]> shares;
    private RowStore rows;
    private Outbox outbox;
    private Cancellable flushing;
    /**
     * Each unit's routing as last read from its rows: a unit's rows and memberships change only
     * through this processor, which drops the entry then; rebuilt from the stores after a restart.
     */
    private final Map<String, Routing> routings = new HashMap<>();
    /**
     * The latest value of the aggregates this processor read or wrote ({@link #NONE}: none), so that
     * a delta costs the record cache a put and no get, each a key and a value to serialize: a
     * stage's aggregates change only through it. Bounded; one dropped is read again.
     */
    private final Map<UnitPeriod, long[]> values = new RecentlyUsed<>(VALUES_HELD);
    private static final long[] NONE = new long[0];
    /** Aggregates a task keeps the value of: the days and years a replay is summing, at about 170 bytes each. */
    static final int VALUES_HELD = 16_384;

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

    /** The latest share of each child unit in the stage's aggregates (the province stage only). */
    public static String sharesStore(Stage stage) {
        return stage.label() + "-shares";
    }

    /**
     * @param stage         {@link Stage#LOCAL} or {@link Stage#PROVINCE}
     * @param flushInterval how often what changed is sent downstream (see {@link Outbox})
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
                Set<StoreBuilder<?>> stores = new HashSet<>();
                stores.add(Outbox.store(stage));
                stores.add(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(statsStore(stage)), UnitPeriod.SERDE,
                        new CountsSerde()).withCachingEnabled());
                stores.add(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(rowsStore(stage)), Row.SERDE,
                        InternalCodec.UNIT_ROW).withCachingEnabled());
                stores.add(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(membershipsStore(stage)),
                        Membership.SERDE, Serdes.String()).withCachingEnabled());
                if (stage == Stage.PROVINCE) {
                    stores.add(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(sharesStore(stage)),
                            MemberShare.SERDE, new CountsSerde()).withCachingEnabled());
                }
                return stores;
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, UnitOutput> context) {
        this.context = context;
        this.stats = context.getStateStore(statsStore(stage));
        this.shares = stage == Stage.PROVINCE ? context.getStateStore(sharesStore(stage)) : null;
        this.rows = new RowStore(context.getStateStore(rowsStore(stage)), context.getStateStore(membershipsStore(stage)));
        // init runs again when a task is revived after an aborted transaction, its stores rolled back.
        routings.clear();
        values.clear();
        // Whatever was committed and not yet sent is unknown: everything is sent again (see Outbox).
        this.outbox = new Outbox(context, stage, stats);
        this.flushing = context.schedule(flushInterval, PunctuationType.WALL_CLOCK_TIME, this::flush);
    }

    @Override
    public void close() {
        // A task revived after an aborted transaction keeps its processor and runs init again.
        if (flushing != null) {
            flushing.cancel();
        }
    }

    @Override
    public void process(Record<String, UnitInput> record) {
        String code = record.key();
        if (record.value() instanceof Deltas deltas) {
            for (PeriodDelta delta : deltas.deltas()) {
                add(new UnitPeriod(code, delta.period()), delta.counts());
            }
        } else if (record.value() instanceof Shares received) {
            if (shares == null) {
                throw new IllegalStateException(stage.label() + " stage received shares from " + received.from());
            }
            for (PeriodDelta share : received.shares()) {
                long[] change = ShareSums.replace(shares, new MemberShare(code, share.period(), received.from()),
                        share.counts());
                add(new UnitPeriod(code, share.period()), change); // null: the same share again, nothing
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

    private void add(UnitPeriod key, long[] delta) {
        if (Counts.isZero(delta)) {
            return;
        }
        long[] now = Counts.orNull(Counts.plus(value(key), delta));
        if (now == null) {
            stats.delete(key);
            values.put(key, NONE);
            outbox.vanished(key);
        } else {
            stats.put(key, now);
            values.put(key, now);
            outbox.changed(key);
        }
    }

    /** The aggregate's value (null: none), from {@link #values} or else from the store. */
    private long[] value(UnitPeriod key) {
        long[] value = values.get(key);
        if (value == null) {
            value = stats.get(key);
            values.put(key, value == null ? NONE : value);
        }
        return value == NONE ? null : value;
    }

    private Routing routing(String code) {
        return routings.computeIfAbsent(code, rows::routing);
    }

    /** Sends each changed aggregate's value on its {@code stats.*} topic, and the unit's shares that it changed. */
    private void flush(long now) {
        if (outbox.isEmpty()) {
            return;
        }
        outbox.drain().forEach((code, periods) -> {
            Routing routing = routing(code);
            ShareSums sums = new ShareSums();
            boolean registration = false;
            for (Period period : periods) {
                long[] counts = value(new UnitPeriod(code, period));
                Scope scope = UnitRow.scope(routing.row(period.schoolYear()), stage);
                // A vanished aggregate may have been published under another scope than the row's now
                // (the row changed while it was zero): its tombstone goes to every topic of the stage.
                for (Scope topic : counts == null && stage == Stage.LOCAL ? LOCAL_SCOPES : List.of(scope)) {
                    context.forward(new Record<>(code, new StatsChanged(topic, code, period, counts), now));
                }
                if (period.kind() == Kind.REGISTERED) {
                    registration = true;
                } else {
                    routing.routeAlways(period, counts, sums);
                }
            }
            if (registration) {
                routeRegistration(code, routing, periods, sums);
            }
            send(code, routing, sums, now);
        });
    }

    /**
     * Every registered-schools aggregate of the unit (timeless and per year) and those that just
     * vanished ({@code changed}), routed: a share of registered schools of year Y sums the timeless
     * part and year Y's (see {@link Routing}), so they are sent again together, a handful.
     */
    private void routeRegistration(String code, Routing routing, Set<Period> changed, ShareSums sums) {
        Map<Period, long[]> held = new java.util.LinkedHashMap<>();
        held.put(Period.registered(), stats.get(new UnitPeriod(code, Period.registered())));
        try (KeyValueIterator<UnitPeriod, long[]> it = stats.prefixScan(UnitPeriod.prefix(code, Kind.REGISTERED, null),
                StoreKeys.PREFIX)) {
            it.forEachRemaining(e -> held.put(e.key.period(), e.value));
        }
        for (Period period : changed) {
            if (period.kind() == Kind.REGISTERED) {
                held.putIfAbsent(period, null);
            }
        }
        held.forEach((period, counts) -> routing.routeAlways(period, counts, sums));
    }

    private void send(String code, Routing routing, ShareSums sums, long timestamp) {
        sums.send((target, clusterYear, values) -> context.forward(new Record<>(target.code(),
                new Forward(target.stage(), new Shares(code, values, clusterYear == null ? null
                        : member(code, clusterYear, routing))), timestamp)));
    }

    /**
     * Everything the unit holds, routed anew and sent at once: its shares under the new routing,
     * and zero shares where only the old one had any. An aggregate is published on the topic of
     * the unit's scope in its school year ({@code stats.district} or {@code stats.commune}): one
     * whose scope changed is deleted from the old topic and sent again on the new.
     */
    private void reroute(Record<String, UnitInput> record, String code, Routing before, Routing after) {
        ShareSums was = new ShareSums();
        ShareSums now = new ShareSums();
        try (KeyValueIterator<UnitPeriod, long[]> it = stats.prefixScan(UnitPeriod.prefix(code), StoreKeys.PREFIX)) {
            it.forEachRemaining(e -> {
                before.routeAlways(e.key.period(), e.value, was);
                after.routeAlways(e.key.period(), e.value, now);
                String year = e.key.period().schoolYear();
                Scope scope = UnitRow.scope(before.row(year), stage);
                if (scope != UnitRow.scope(after.row(year), stage)) {
                    context.forward(record.withKey(code).withValue(new StatsChanged(scope, code, e.key.period(), null)));
                    outbox.changed(e.key);
                }
            });
        }
        // An aggregate that vanished since the last flush still has shares under the old routing,
        // and may still be published under the old scope: it is withdrawn from that topic now, for
        // if it comes back before the flush, the flush publishes it under the new scope only.
        for (Period period : outbox.vanishedOf(code)) {
            before.routeAlways(period, null, was);
            Scope scope = UnitRow.scope(before.row(period.schoolYear()), stage);
            if (scope != UnitRow.scope(after.row(period.schoolYear()), stage)) {
                context.forward(record.withKey(code).withValue(new StatsChanged(scope, code, period, null)));
            }
        }
        now.zeroWhereOnlyIn(was);
        send(code, after, now, record.timestamp());
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
                            new Shares(code, List.of(), member(code, year, after)))));
                }
            }
        }
    }

    /** The unit as a cluster of that school year shows it. */
    private Member member(String code, String clusterYear, Routing routing) {
        UnitRow row = routing.row(clusterYear);
        return new Member(code, clusterYear, UnitRow.scope(row, stage).label(), row == null ? code : row.name());
    }
}
