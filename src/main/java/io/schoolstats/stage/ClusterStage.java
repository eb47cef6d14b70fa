package io.schoolstats.stage;

import io.schoolstats.reference.Cluster;
import io.schoolstats.reference.Scope;
import io.schoolstats.report.EmulationScore;
import io.schoolstats.stage.StoreKeys.MemberShare;
import io.schoolstats.stage.StoreKeys.Row;
import io.schoolstats.stage.StoreKeys.UnitPeriod;
import io.schoolstats.stage.UnitInput.ClusterChanged;
import io.schoolstats.stage.UnitInput.Shares;
import io.schoolstats.stage.UnitInput.Member;
import io.schoolstats.stage.UnitInput.ScoreArrived;
import io.schoolstats.stage.UnitOutput.StatsChanged;
import io.schoolstats.stats.Counts;
import io.schoolstats.topology.ReportOutcomes;
import io.schoolstats.topology.ReportOutcomes.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Set;
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
 * The cluster stage, partitioned by clusterId. It keeps each member's latest share, from which
 * the members are ranked, sums them into the cluster's aggregates, and keeps the cluster's rows
 * and its members' names (as of each school year) for display, and for the emulation league the
 * scoring schemes and the evaluators' winning scores.
 */
public final class ClusterStage implements Processor<String, UnitInput, String, UnitOutput> {
    public static final String STATS = UnitStage.statsStore(Stage.CLUSTER);
    /** Each member's share of a cluster aggregate. */
    public static final String MEMBER_STATS = "cluster-member-stats";
    /** Members' names and scopes as of each school year, as their stages last sent them. */
    public static final String MEMBERS = "cluster-members";
    /** Cluster rows per school year. */
    public static final String ROWS = "cluster-rows";
    /** Scoring schemes per school year (the emulation league's). */
    public static final String SCHEMES = "cluster-emulation-schemes";
    /** Evaluators' winning scores: {revision, points in hundredths} by (school year, member, criterion). */
    public static final String SCORES = "cluster-emulation-scores";

    private final Duration flushInterval;
    private final ReportOutcomes outcomes;
    private KeyValueStore<StoreKeys.Score, long[]> scores;
    private KeyValueStore<UnitPeriod, long[]> stats;
    private KeyValueStore<MemberShare, long[]> memberStats;
    private KeyValueStore<StoreKeys.YearMember, Member> members;
    private KeyValueStore<Row, Cluster> rows;
    private KeyValueStore<Row, io.schoolstats.reference.EmulationScheme> schemes;
    private Outbox outbox;
    private Cancellable flushing;

    private ClusterStage(Duration flushInterval, ReportOutcomes outcomes) {
        this.flushInterval = flushInterval;
        this.outcomes = outcomes;
    }

    public static ProcessorSupplier<String, UnitInput, String, UnitOutput> supplier(Duration flushInterval,
                                                                                   ReportOutcomes outcomes) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, UnitInput, String, UnitOutput> get() {
                return new ClusterStage(flushInterval, outcomes);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                Set<StoreBuilder<?>> stores = new java.util.HashSet<>(List.of(Outbox.store(Stage.CLUSTER),
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STATS), UnitPeriod.SERDE,
                                new CountsSerde()).withCachingEnabled(),
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MEMBER_STATS), MemberShare.SERDE,
                                new CountsSerde()).withCachingEnabled(),
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MEMBERS), StoreKeys.YearMember.SERDE,
                                InternalCodec.MEMBER).withCachingEnabled(),
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ROWS), Row.SERDE,
                                InternalCodec.CLUSTER).withCachingEnabled(),
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SCHEMES), Row.SERDE,
                                InternalCodec.SCHEME).withCachingDisabled(),
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SCORES), StoreKeys.Score.SERDE,
                                new CountsSerde()).withCachingDisabled()));
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
        this.schemes = context.getStateStore(SCHEMES);
        this.scores = context.getStateStore(SCORES);
        // Whatever was committed and not yet sent is unknown: everything is sent again (see Outbox).
        this.outbox = new Outbox(context, Stage.CLUSTER, stats);
        this.flushing = context.schedule(flushInterval, PunctuationType.WALL_CLOCK_TIME, now -> {
            if (!outbox.isEmpty()) {
                outbox.drain().forEach((code, periods) -> periods.forEach(period -> context.forward(new Record<>(code,
                        new StatsChanged(Scope.CLUSTER, code, period, stats.get(new UnitPeriod(code, period))), now))));
            }
        });
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
        } else if (record.value() instanceof UnitInput.SchemeChanged changed) {
            Row key = new Row(clusterId, changed.schoolYear());
            if (changed.scheme() == null) {
                schemes.delete(key);
            } else {
                schemes.put(key, changed.scheme());
            }
        } else if (record.value() instanceof ScoreArrived arrived) {
            score(arrived);
        } else if (record.value() instanceof Shares shares) {
            Member from = shares.member();
            if (from != null) {
                members.put(new StoreKeys.YearMember(clusterId, from.schoolYear(), from.code()), from);
            }
            for (PeriodDelta share : shares.shares()) {
                long[] change = ShareSums.replace(memberStats,
                        new MemberShare(clusterId, share.period(), shares.from()), share.counts());
                if (change == null) {
                    continue;
                }
                UnitPeriod total = new UnitPeriod(clusterId, share.period());
                if (add(stats, total, change)) {
                    outbox.changed(total);
                } else {
                    outbox.vanished(total);
                }
            }
        }
    }

    /**
     * An evaluator's score: kept if its revision is the highest yet for its member and criterion,
     * as for every report, whatever the scheme says now. The league counts the winners that the
     * scheme and members of their year admit, so that the table is the same in any order of
     * arrival of scores, schemes and cluster rows (a replay reads the compacted schemes first or last).
     */
    private void score(ScoreArrived arrived) {
        EmulationScore score = arrived.score();
        StoreKeys.Score key = new StoreKeys.Score(score.clusterId(), score.schoolYear(), score.member(), score.criterion());
        long[] current = scores.get(key);
        if (current != null && score.revision() <= current[0]) {
            outcomes.record(EmulationScore.LABEL, score.revision() == current[0] ? Outcome.DUPLICATE : Outcome.STALE);
            return;
        }
        scores.put(key, new long[] {score.revision(), score.hundredths()});
        outcomes.record(EmulationScore.LABEL, Outcome.ACCEPTED);
    }

    @Override
    public void close() {
        // A task revived after an aborted transaction keeps its processor and runs init again.
        if (flushing != null) {
            flushing.cancel();
        }
    }

    /** Adds the delta; false when the aggregate summed to zero and was deleted. */
    private static <K> boolean add(KeyValueStore<K, long[]> store, K key, long[] delta) {
        long[] now = Counts.orNull(Counts.plus(store.get(key), delta));
        if (now == null) {
            store.delete(key);
            return false;
        }
        store.put(key, now);
        return true;
    }
}
