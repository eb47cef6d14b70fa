package io.schoolstats.topology;

import io.schoolstats.reference.Cluster;
import io.schoolstats.reference.District;
import io.schoolstats.reference.Province;
import io.schoolstats.reference.ReferenceParser;
import io.schoolstats.reference.School;
import io.schoolstats.reference.Scope;
import io.schoolstats.report.Parsed;
import io.schoolstats.report.Report;
import io.schoolstats.report.ReportParser;
import io.schoolstats.report.ReportType;
import io.schoolstats.topology.Messages.Checked;
import io.schoolstats.topology.Messages.Forward;
import io.schoolstats.topology.Messages.ReportArrived;
import io.schoolstats.topology.Messages.SchoolChanged;
import io.schoolstats.topology.Messages.SchoolInput;
import io.schoolstats.topology.Messages.StatsChanged;
import io.schoolstats.topology.Messages.UnitChanged;
import io.schoolstats.topology.Messages.UnitInput;
import io.schoolstats.topology.Messages.UnitOutput;
import io.schoolstats.topology.Messages.UnitRef;
import io.schoolstats.topology.ReportOutcomes.Outcome;
import io.schoolstats.topology.Topics.Topic;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import java.util.Properties;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the whole topology: a pure function of its options, used by the service and by tests.
 *
 * <pre>
 * reports.* --validate--> reports-by-school --+
 * reference.schools ----> schools-by-id -----+--> school stage --> deltas-by-district --+
 * reference.districts --> districts-by-code -------------------------------------------+--> district stage
 * reference.clusters ---> cluster members --> district-memberships --------------------+      |
 *                                         \-> province-memberships -----+                  stats.district
 * reference.provinces --> provinces-by-code ----------------------------+--> province stage <--+ deltas-by-province
 *                                                                            |   stats.province
 *                                  deltas-by-cluster (from both stages) --> cluster stage --> stats.cluster
 * </pre>
 * Invalid input of any source goes to {@code reports.rejected}.
 */
public final class StatsTopology {
    /** Options of the topology; partitions fixes the count of every repartition topic. */
    public record Options(int partitions, ReportOutcomes outcomes, java.time.Duration flushInterval) {
        /** What a unit stage owes downstream is sent this often (see Outbox). */
        public static final java.time.Duration FLUSH_INTERVAL = java.time.Duration.ofMillis(100);

        public Options(int partitions, ReportOutcomes outcomes) {
            this(partitions, outcomes, FLUSH_INTERVAL);
        }

        public static Options defaults() {
            return new Options(4, ReportOutcomes.ignore());
        }
    }

    static final Serde<SchoolInput> SCHOOL_INPUT = BinaryCodec.SCHOOL_INPUT;
    static final Serde<UnitInput> UNIT_INPUT = BinaryCodec.UNIT_INPUT;

    private StatsTopology() {
    }

    /**
     * @param config the Streams configuration the topology will run with: topology-level settings
     *               such as {@code ensure.explicit.internal.resource.naming} apply while building
     */
    public static Topology build(Properties config, Options options) {
        StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(config)));
        addStores(builder);

        KStream<String, SchoolInput> reports = null;
        for (ReportType type : ReportType.values()) {
            Topic<byte[], byte[]> topic = Topics.reports(type);
            KStream<String, Checked<Report>> checked = builder
                    .stream(topic.name(), Consumed.with(topic.keySerde(), topic.valueSerde()).withName("read-" + type.label()))
                    .process(() -> new ValidateProcessor<Report>(
                            (key, value, timestamp) -> ReportParser.parse(type, value, instant(timestamp)),
                            (key, report) -> report.schoolId(),
                            () -> options.outcomes().record(type, Outcome.REJECTED)),
                            Named.as("validate-" + type.label()));
            KStream<String, SchoolInput> valid = valid(checked, "validate-" + type.label(), ReportArrived::new);
            reports = reports == null ? valid : reports.merge(valid, Named.as("merge-" + type.label()));
        }
        KStream<String, SchoolInput> schools = valid(readReference(builder, Topics.SCHOOLS, ReferenceParser::school),
                "validate-schools", SchoolChanged::new);

        KStream<String, UnitInput> toDistricts = repartition(reports, "reports-by-school", SCHOOL_INPUT, options)
                .merge(repartition(schools, "schools-by-id", SCHOOL_INPUT, options), Named.as("school-inputs"))
                .process(() -> new SchoolProcessor(options.outcomes()), Named.as("school-stage"),
                        StoreNames.SCHOOL_REPORTS, StoreNames.SCHOOL_STATS, StoreNames.SCHOOL_REFS, StoreNames.LATEST_DAY);

        KStream<String, UnitInput> districtRefs = valid(readReference(builder, Topics.DISTRICTS, ReferenceParser::district),
                "validate-districts", (District d) -> new UnitChanged(d == null ? null : new UnitRef(d.code(), d.name(), d.province())));
        KStream<String, UnitInput> provinceRefs = valid(readReference(builder, Topics.PROVINCES, ReferenceParser::province),
                "validate-provinces", (Province p) -> new UnitChanged(p == null ? null : new UnitRef(p.code(), p.name(), null)));

        KStream<String, UnitOutput> clusterRows = valid(readReference(builder, Topics.CLUSTERS, ReferenceParser::cluster),
                "validate-clusters", Function.<Cluster>identity())
                .process(ClusterMembershipProcessor::new, Named.as("cluster-members"), StoreNames.CLUSTER_ROWS)
                .mapValues(f -> (UnitOutput) f, Named.as("cluster-member-changes"));
        KStream<String, UnitInput> districtMemberships = forwards(clusterRows, "clusters", Scope.DISTRICT);
        KStream<String, UnitInput> provinceMemberships = forwards(clusterRows, "clusters", Scope.PROVINCE);

        KStream<String, UnitOutput> districtOut = repartition(toDistricts, "deltas-by-district", UNIT_INPUT, options)
                .merge(repartition(districtRefs, "districts-by-code", UNIT_INPUT, options), Named.as("district-refs-in"))
                .merge(repartition(districtMemberships, "district-memberships", UNIT_INPUT, options),
                        Named.as("district-inputs"))
                .process(() -> new RollupProcessor(Scope.DISTRICT, Scope.PROVINCE, options.flushInterval()), Named.as("district-stage"),
                        StoreNames.stats(Scope.DISTRICT), StoreNames.refs(Scope.DISTRICT),
                        StoreNames.memberships(Scope.DISTRICT), StoreNames.changed(Scope.DISTRICT),
                        StoreNames.pending(Scope.DISTRICT));
        writeStats(districtOut, Scope.DISTRICT);

        KStream<String, UnitOutput> provinceOut = repartition(forwards(districtOut, Scope.DISTRICT.label(), Scope.PROVINCE),
                "deltas-by-province", UNIT_INPUT, options)
                .merge(repartition(provinceRefs, "provinces-by-code", UNIT_INPUT, options), Named.as("province-refs-in"))
                .merge(repartition(provinceMemberships, "province-memberships", UNIT_INPUT, options),
                        Named.as("province-inputs"))
                .process(() -> new RollupProcessor(Scope.PROVINCE, null, options.flushInterval()), Named.as("province-stage"),
                        StoreNames.stats(Scope.PROVINCE), StoreNames.refs(Scope.PROVINCE),
                        StoreNames.memberships(Scope.PROVINCE), StoreNames.changed(Scope.PROVINCE),
                        StoreNames.pending(Scope.PROVINCE));
        writeStats(provinceOut, Scope.PROVINCE);

        KStream<String, UnitInput> toClusters = forwards(districtOut, Scope.DISTRICT.label(), Scope.CLUSTER)
                .merge(forwards(provinceOut, Scope.PROVINCE.label(), Scope.CLUSTER), Named.as("cluster-deltas"))
                .merge(forwards(clusterRows, "clusters", Scope.CLUSTER), Named.as("cluster-inputs"));
        KStream<String, UnitOutput> clusterOut = repartition(toClusters, "deltas-by-cluster", UNIT_INPUT, options)
                .process(() -> new ClusterProcessor(options.flushInterval()), Named.as("cluster-stage"),
                        StoreNames.stats(Scope.CLUSTER), StoreNames.CLUSTER_MEMBER_STATS, StoreNames.CLUSTER_MEMBER_NAMES,
                        StoreNames.CLUSTER_INFO, StoreNames.changed(Scope.CLUSTER));
        writeStats(clusterOut, Scope.CLUSTER);

        return builder.build(config);
    }

    private static void addStores(StreamsBuilder builder) {
        Serde<String> keys = Serdes.String();
        CountsSerde counts = new CountsSerde();
        // Per school: written once per report, no repeated updates for a cache to fold.
        addStore(builder, StoreNames.SCHOOL_REPORTS, BinaryCodec.REPORT, false);
        addStore(builder, StoreNames.SCHOOL_STATS, counts, false);
        addStore(builder, StoreNames.SCHOOL_REFS, new JsonSerde<>(School.class), false);
        addStore(builder, StoreNames.LATEST_DAY, keys, true);
        addStore(builder, StoreNames.CLUSTER_ROWS, new JsonSerde<>(Cluster.class), false);
        // Per unit: updated by every report of the unit's schools, folded by the cache between commits.
        for (Scope scope : List.of(Scope.DISTRICT, Scope.PROVINCE)) {
            addStore(builder, StoreNames.stats(scope), counts, true);
            addStore(builder, StoreNames.refs(scope), new JsonSerde<>(UnitRef.class), true);
            addStore(builder, StoreNames.memberships(scope), keys, true);
        }
        addStore(builder, StoreNames.stats(Scope.CLUSTER), counts, true);
        addStore(builder, StoreNames.CLUSTER_MEMBER_STATS, counts, true);
        addStore(builder, StoreNames.CLUSTER_MEMBER_NAMES, keys, true);
        addStore(builder, StoreNames.CLUSTER_INFO, new JsonSerde<>(Cluster.class), true);
        // What the unit stages owe downstream between two flushes: small, in memory, changelogged.
        for (Scope scope : Scope.values()) {
            builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StoreNames.changed(scope)),
                    keys, Serdes.String()).withCachingEnabled());
        }
        for (String pending : List.of(StoreNames.pending(Scope.DISTRICT), StoreNames.pending(Scope.PROVINCE))) {
            builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(pending), keys, counts)
                    .withCachingEnabled());
        }
    }

    /**
     * A persistent (RocksDB) store; with a record cache, the same key updated many times between
     * two commits costs one changelog record and one RocksDB write.
     */
    private static <V> void addStore(StreamsBuilder builder, String name, Serde<V> values, boolean cached) {
        var store = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), values);
        builder.addStateStore(cached ? store.withCachingEnabled() : store.withCachingDisabled());
    }

    /** Reads a reference topic and validates its rows; a null value is a valid deletion. */
    private static <T> KStream<String, Checked<T>> readReference(StreamsBuilder builder, Topic<String, byte[]> topic,
                                                               ReferenceRowParser<T> parser) {
        String name = topic.name().substring(topic.name().indexOf('.') + 1);
        return builder.stream(topic.name(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("read-" + name))
                .process(() -> new ValidateProcessor<T>(
                        (key, value, timestamp) -> value == null && key != null ? Parsed.valid(null) : parser.parse(key, value),
                        (key, row) -> key,
                        () -> { }),
                        Named.as("validate-" + name));
    }

    /** A reference row parser: {@code ReferenceParser::school} and friends. */
    interface ReferenceRowParser<T> {
        Parsed<T> parse(String key, byte[] value);
    }

    /** Sends rejected records to reports.rejected and returns the valid ones, mapped. */
    private static <V, R> KStream<String, R> valid(KStream<String, Checked<V>> checked, String name,
                                                   Function<V, R> mapper) {
        checked.filter((key, c) -> c.rejected(), Named.as(name + "-rejected"))
                .mapValues(Checked::rejection, Named.as(name + "-envelope"))
                .to(Topics.REJECTED.name(), Produced.with(Topics.REJECTED.keySerde(), Topics.REJECTED.valueSerde())
                        .withName(name + "-to-rejected"));
        return checked.filter((key, c) -> !c.rejected(), Named.as(name + "-valid"))
                .mapValues(c -> mapper.apply(c.value()), Named.as(name + "-accepted"));
    }

    private static <V> KStream<String, V> repartition(KStream<String, V> stream, String name, Serde<V> serde,
                                                      Options options) {
        return stream.repartition(Repartitioned.<String, V>as(name)
                .withKeySerde(Serdes.String()).withValueSerde(serde).withNumberOfPartitions(options.partitions()));
    }

    private static KStream<String, UnitInput> forwards(KStream<String, UnitOutput> out, String from, Scope target) {
        String name = from + "-to-" + target.label();
        return out.filter((key, o) -> o instanceof Forward f && f.target() == target, Named.as(name))
                .mapValues(o -> ((Forward) o).input(), Named.as(name + "-inputs"));
    }

    private static void writeStats(KStream<String, UnitOutput> out, Scope scope) {
        Topic<String, byte[]> topic = Topics.stats(scope);
        out.filter((key, o) -> o instanceof StatsChanged, Named.as(scope.label() + "-stats-changes"))
                .mapValues(o -> StatsJson.bytes((StatsChanged) o), Named.as(scope.label() + "-stats-json"))
                .to(topic.name(), Produced.with(topic.keySerde(), topic.valueSerde()).withName("write-" + topic.name()));
    }

    /** The Kafka record timestamp stands in for a report's absent submittedAt. */
    private static Instant instant(long timestamp) {
        return timestamp < 0 ? null : Instant.ofEpochMilli(timestamp);
    }
}
