package io.schoolstats.topology;

import io.schoolstats.contract.StatsJson;
import io.schoolstats.contract.Topics;
import io.schoolstats.contract.Topics.Topic;
import io.schoolstats.reference.Cluster;
import io.schoolstats.reference.EmulationScheme;
import io.schoolstats.reference.Exam;
import io.schoolstats.reference.LocalUnit;
import io.schoolstats.reference.Province;
import io.schoolstats.reference.ReferenceParser;
import io.schoolstats.reference.RowKey;
import io.schoolstats.reference.School;
import io.schoolstats.reference.Scope;
import io.schoolstats.report.EmulationScore;
import io.schoolstats.report.EmulationScoreParser;
import io.schoolstats.report.Parsed;
import io.schoolstats.report.Received;
import io.schoolstats.report.ReportType;
import io.schoolstats.stage.ClusterMembershipStage;
import io.schoolstats.stage.ClusterStage;
import io.schoolstats.stage.InternalCodec;
import io.schoolstats.stage.RowChanged;
import io.schoolstats.stage.SchoolInput;
import io.schoolstats.stage.SchoolStage;
import io.schoolstats.stage.Stage;
import io.schoolstats.stage.Target;
import io.schoolstats.stage.UnitInput;
import io.schoolstats.stage.UnitOutput;
import io.schoolstats.stage.UnitOutput.Forward;
import io.schoolstats.stage.UnitOutput.StatsChanged;
import io.schoolstats.stage.UnitRow;
import io.schoolstats.stage.UnitStage;
import io.schoolstats.topology.ReportOutcomes.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import io.schoolstats.stats.Deadlines;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Builds the whole topology: a pure function of its options, used by the service and by tests.
 * It only wires; the stages ({@code io.schoolstats.stage}) hold the logic and declare their stores.
 *
 * <pre>
 * reports.* --validate--+-- in place (direct) ---+
 *                       +--> reports-by-school --+
 * reference.schools -----> school-rows-by-id ----+--> school stage --+--> deltas-by-local-unit --+
 *                                                                     \                           |
 * reference.districts ---> local-rows-by-code -------------------------\------------------------+--> local stage (districts, communes)
 * reference.clusters ----> cluster-definitions --> local-memberships ---\------------------------+      |  stats.district, stats.commune
 *                                               \-> province-memberships \                             |
 * reference.provinces ---> province-rows-by-code ----------------------- deltas-by-province <----------+
 *                                                                          |  (schools directly under a province, and local units)
 *                                                                          +--> province stage --> stats.province
 *          deltas-by-cluster (from the local and province stages, cluster rows, emulation schemes
 *                             and reports.emulation-scores) --> cluster stage --> stats.cluster
 * </pre>
 * A valid report read from the partition that owns its school ({@link SchoolPartitioner}) goes
 * straight to the school stage, in the same task; any other one through {@code reports-by-school}
 * ({@link ReportIntake}). Invalid input of any source goes to {@code reports.rejected}.
 */
public final class StatsTopology {
    /** Options of the topology; partitions fixes the count of every repartition topic. */
    public record Options(int partitions, ReportOutcomes outcomes, Duration flushInterval, ZoneId zone,
                          Deadlines deadlines) {
        /** What a unit stage owes downstream is sent this often (see the stages' Outbox). */
        public static final Duration FLUSH_INTERVAL = Duration.ofMillis(100);

        public Options {
            deadlines = deadlines == null ? Deadlines.defaults(zone) : deadlines;
        }

        public Options(int partitions, ReportOutcomes outcomes) {
            this(partitions, outcomes, FLUSH_INTERVAL, Received.DEFAULT_ZONE, null);
        }

        public static Options defaults() {
            return new Options(4, ReportOutcomes.ignore());
        }
    }

    private StatsTopology() {
    }

    /**
     * @param config the Streams configuration the topology will run with: topology-level settings
     *               such as {@code ensure.explicit.internal.resource.naming} apply while building
     */
    public static Topology build(Properties config, Options options) {
        StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(config)));
        Serde<SchoolInput> schoolInput = InternalCodec.schoolInput();
        Serde<UnitInput> unitInput = InternalCodec.unitInput();

        // Every report, of every type, read by one source and validated and sent on its way by one
        // processor (ReportIntake), to exactly one of three children named for it.
        List<String> reportTopics = Arrays.stream(ReportType.values()).map(t -> Topics.reports(t).name()).toList();
        KStream<String, Object> intake = builder
                .stream(reportTopics, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("read-reports"))
                .process(() -> new ReportIntake(options.partitions(), options.outcomes(), options.zone()),
                        Named.as("validate-reports"));
        @SuppressWarnings({"unchecked", "rawtypes"})
        Produced<String, Object> rejected = (Produced) Produced.with(Topics.REJECTED.keySerde(),
                Topics.REJECTED.valueSerde()).withName(ReportIntake.REJECTED);
        intake.to(Topics.REJECTED.name(), rejected);
        KStream<String, SchoolInput> reportsElsewhere = intake.mapValues(v -> (SchoolInput) v,
                Named.as(ReportIntake.ELSEWHERE));
        @SuppressWarnings({"unchecked", "rawtypes"})
        KStream<String, SchoolInput> reportsInPlace = (KStream) intake;

        KStream<String, SchoolInput> schoolRows = rows(builder, Topics.SCHOOLS, ReferenceParser::school, "schools",
                StatsTopology::schoolRow);

        KStream<String, SchoolInput> examCodes = valid(readReference(builder, Topics.EXAMS,
                ReferenceParser::exam,
                "exams"), "validate-exams", Function.<Exam>identity())
                .map((code, exam) -> org.apache.kafka.streams.KeyValue.pair(code,
                        (SchoolInput) new SchoolInput.ExamChanged(code, exam != null)), Named.as("exam-changes"));
        // Every school stage task may hold reports of any code: each hears of every change.
        KStream<String, SchoolInput> examsToAll = examCodes.repartition(Repartitioned.<String, SchoolInput>as(
                        "exam-codes-to-every-school-task").withKeySerde(Serdes.String()).withValueSerde(schoolInput)
                .withNumberOfPartitions(options.partitions()).withStreamPartitioner(new EveryPartition<>()));

        // The direct path (ReportIntake says why it is exact): a report already in the partition
        // that owns its school goes straight to the school stage, in this sub-topology, and saves
        // a round trip through Kafka; every other one goes through reports-by-school. Reports in
        // place are merged last, so that they pass one merge node only. (School rows, a few a
        // year for each school, always take school-rows-by-id: a row's order matters, and one
        // path keeps it whatever the reference topic's partitions.)
        KStream<String, UnitOutput> fromSchools = repartition(reportsElsewhere, "reports-by-school", schoolInput, options,
                new SchoolPartitioner<>())
                .merge(repartition(schoolRows, "school-rows-by-id", schoolInput, options, new SchoolPartitioner<>()),
                        Named.as("school-row-inputs"))
                .merge(examsToAll, Named.as("school-exam-inputs"))
                .merge(reportsInPlace, Named.as(ReportIntake.IN_PLACE))
                .process(SchoolStage.supplier(options.outcomes(), options.deadlines()), Named.as("school-stage"));

        KStream<String, UnitInput> localRows = rows(builder, Topics.DISTRICTS, ReferenceParser::localUnit, "districts",
                (LocalUnit u) -> new UnitRow(u.code(), u.name(), u.scope(), new Target(Stage.PROVINCE, u.province())));
        KStream<String, UnitInput> provinceRows = rows(builder, Topics.PROVINCES, ReferenceParser::province, "provinces",
                (Province p) -> new UnitRow(p.code(), p.name(), Scope.PROVINCE, null));

        KStream<String, UnitOutput> fromClusterRows = valid(readReference(builder, Topics.CLUSTERS,
                ReferenceParser::cluster, "clusters"), "validate-clusters", Function.<Cluster>identity())
                .process(ClusterMembershipStage.supplier(), Named.as("cluster-members"))
                .mapValues(f -> (UnitOutput) f, Named.as("cluster-member-changes"));

        KStream<String, UnitOutput> fromLocal = repartition(forwards(fromSchools, "school", Stage.LOCAL),
                "deltas-by-local-unit", unitInput, options)
                .merge(repartition(localRows, "local-rows-by-code", unitInput, options), Named.as("local-rows-in"))
                .merge(repartition(forwards(fromClusterRows, "clusters", Stage.LOCAL), "local-memberships", unitInput,
                        options), Named.as("local-inputs"))
                .process(UnitStage.supplier(Stage.LOCAL, options.flushInterval()), Named.as("local-stage"));
        writeStats(fromLocal, "local", Scope.DISTRICT);
        writeStats(fromLocal, "local", Scope.COMMUNE);

        KStream<String, UnitInput> toProvinces = forwards(fromSchools, "school", Stage.PROVINCE)
                .merge(forwards(fromLocal, "local", Stage.PROVINCE), Named.as("province-deltas"));
        KStream<String, UnitOutput> fromProvinces = repartition(toProvinces, "deltas-by-province", unitInput, options)
                .merge(repartition(provinceRows, "province-rows-by-code", unitInput, options), Named.as("province-rows-in"))
                .merge(repartition(forwards(fromClusterRows, "clusters", Stage.PROVINCE), "province-memberships",
                        unitInput, options), Named.as("province-inputs"))
                .process(UnitStage.supplier(Stage.PROVINCE, options.flushInterval()), Named.as("province-stage"));
        writeStats(fromProvinces, "province", Scope.PROVINCE);

        KStream<String, UnitInput> schemes = valid(readReference(builder, Topics.EMULATION_SCHEMES,
                ReferenceParser::scheme, "emulation-schemes"), "validate-emulation-schemes",
                Function.<EmulationScheme>identity())
                .map((key, scheme) -> {
                    RowKey rowKey = RowKey.decode(key);
                    return org.apache.kafka.streams.KeyValue.pair(rowKey.id(),
                            (UnitInput) new UnitInput.SchemeChanged(rowKey.schoolYear(), scheme));
                }, Named.as("emulation-scheme-changes"));
        KStream<String, UnitInput> toClusters = forwards(fromLocal, "local", Stage.CLUSTER)
                .merge(forwards(fromProvinces, "province", Stage.CLUSTER), Named.as("cluster-deltas"))
                .merge(forwards(fromClusterRows, "clusters", Stage.CLUSTER), Named.as("cluster-inputs"))
                .merge(schemes, Named.as("cluster-scheme-inputs"))
                .merge(scores(builder, options), Named.as("cluster-score-inputs"));
        KStream<String, UnitOutput> fromClusters = repartition(toClusters, "deltas-by-cluster", unitInput, options)
                .process(ClusterStage.supplier(options.flushInterval(), options.outcomes()), Named.as("cluster-stage"));
        writeStats(fromClusters, "cluster", Scope.CLUSTER);

        return builder.build(config);
    }

    /**
     * Evaluators' scores (issue 14), validated on their own here and keyed by cluster; the cluster
     * stage keeps the winning revisions and the league counts those its scheme admits.
     */
    private static KStream<String, UnitInput> scores(StreamsBuilder builder, Options options) {
        Topic<byte[], byte[]> topic = Topics.EMULATION_SCORES;
        KStream<String, Validated<EmulationScore>> checked = builder
                .stream(topic.name(), Consumed.with(topic.keySerde(), topic.valueSerde()).withName("read-emulation-scores"))
                .process(() -> new ValidateProcessor<EmulationScore>((key, value, timestamp) ->
                        EmulationScoreParser.parse(value, Received.at(instant(timestamp), options.zone())),
                        (key, score) -> score.clusterId(),
                        () -> options.outcomes().record(EmulationScore.LABEL, Outcome.REJECTED)),
                        Named.as("validate-emulation-scores"));
        return valid(checked, "validate-emulation-scores", UnitInput.ScoreArrived::new);
    }

    private static UnitRow schoolRow(School s) {
        Target parent = s.district() != null ? new Target(Stage.LOCAL, s.district()) : new Target(Stage.PROVINCE, s.province());
        return new UnitRow(s.schoolId(), s.name(), null, parent, s.level());
    }

    /**
     * A reference topic's rows as {@link RowChanged}, keyed by the unit's id (the record key,
     * {@code id} or {@code id|schoolYear}, names the row; the stage is partitioned by unit).
     */
    private static <T, R> KStream<String, R> rows(StreamsBuilder builder, Topic<String, byte[]> topic,
                                                 ReferenceRowParser<T> parser, String name, Function<T, UnitRow> row) {
        KStream<String, Validated<T>> checked = readReference(builder, topic, parser, name);
        @SuppressWarnings("unchecked")
        KStream<String, R> out = valid(checked, "validate-" + name, Function.<T>identity())
                .map((key, value) -> {
                    RowKey rowKey = RowKey.decode(key);
                    return org.apache.kafka.streams.KeyValue.pair(rowKey.id(),
                            (R) new RowChanged(rowKey.schoolYear(), value == null ? null : row.apply(value)));
                }, Named.as(name + "-rows"));
        return out;
    }

    /** Reads a reference topic and validates its rows; a null value is a valid deletion. */
    private static <T> KStream<String, Validated<T>> readReference(StreamsBuilder builder, Topic<String, byte[]> topic,
                                                                 ReferenceRowParser<T> parser, String name) {
        return builder.stream(topic.name(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("read-" + name))
                .process(() -> new ValidateProcessor<T>(
                        (key, value, timestamp) -> value != null ? parser.parse(key, value)
                                : topic == Topics.EXAMS ? ReferenceParser.<T>examDeletion(key)
                                : ReferenceParser.<T>deletion(key, topic == Topics.CLUSTERS
                                    || topic == Topics.EMULATION_SCHEMES),
                        (key, row) -> key,
                        () -> { }),
                        Named.as("validate-" + name));
    }

    /** Sends each record to every partition (a broadcast). */
    private static final class EveryPartition<K, V> implements org.apache.kafka.streams.processor.StreamPartitioner<K, V> {
        @Override
        public java.util.Optional<java.util.Set<Integer>> partitions(String topic, K key, V value, int numPartitions) {
            java.util.Set<Integer> all = new java.util.HashSet<>();
            for (int p = 0; p < numPartitions; p++) {
                all.add(p);
            }
            return java.util.Optional.of(all);
        }
    }

    /** A reference row parser: {@code ReferenceParser::school} and friends. */
    interface ReferenceRowParser<T> {
        Parsed<T> parse(String key, byte[] value);
    }

    /** Sends rejected records to reports.rejected and returns the valid ones, mapped. */
    private static <V, R> KStream<String, R> valid(KStream<String, Validated<V>> checked, String name,
                                                   Function<V, R> mapper) {
        checked.filter((key, c) -> c.rejected(), Named.as(name + "-rejected"))
                .mapValues(Validated::rejection, Named.as(name + "-envelope"))
                .to(Topics.REJECTED.name(), Produced.with(Topics.REJECTED.keySerde(), Topics.REJECTED.valueSerde())
                        .withName(name + "-to-rejected"));
        return checked.filter((key, c) -> !c.rejected(), Named.as(name + "-valid"))
                .mapValues(c -> c.value() == null ? null : mapper.apply(c.value()), Named.as(name + "-accepted"));
    }

    private static <V> KStream<String, V> repartition(KStream<String, V> stream, String name, Serde<V> serde,
                                                      Options options) {
        return stream.repartition(Repartitioned.<String, V>as(name)
                .withKeySerde(Serdes.String()).withValueSerde(serde).withNumberOfPartitions(options.partitions()));
    }

    private static <V> KStream<String, V> repartition(KStream<String, V> stream, String name, Serde<V> serde,
                                                      Options options, StreamPartitioner<String, V> partitioner) {
        return stream.repartition(Repartitioned.<String, V>as(name)
                .withKeySerde(Serdes.String()).withValueSerde(serde).withNumberOfPartitions(options.partitions())
                .withStreamPartitioner(partitioner));
    }

    private static KStream<String, UnitInput> forwards(KStream<String, UnitOutput> out, String from, Stage target) {
        String name = from + "-to-" + target.label();
        return out.filter((key, o) -> o instanceof Forward f && f.target() == target, Named.as(name))
                .mapValues(o -> ((Forward) o).input(), Named.as(name + "-inputs"));
    }

    private static void writeStats(KStream<String, UnitOutput> out, String stage, Scope scope) {
        Topic<String, byte[]> topic = Topics.stats(scope);
        String name = stage + "-" + scope.label() + "-stats";
        out.filter((key, o) -> o instanceof StatsChanged s && s.scope() == scope, Named.as(name + "-changes"))
                .map((key, o) -> {
                    StatsChanged s = (StatsChanged) o;
                    return org.apache.kafka.streams.KeyValue.pair(StatsJson.key(s.code(), s.period()),
                            StatsJson.bytes(s.scope(), s.code(), s.period(), s.counts()));
                }, Named.as(name + "-json"))
                .to(topic.name(), Produced.with(topic.keySerde(), topic.valueSerde()).withName("write-" + topic.name()));
    }

    /** The Kafka record timestamp stands in for a report's absent submittedAt. */
    static Instant instant(long timestamp) {
        return timestamp < 0 ? null : Instant.ofEpochMilli(timestamp);
    }
}
