package io.schoolstats.topology;

import com.fasterxml.jackson.databind.JsonNode;
import io.schoolstats.contract.Topics;
import io.schoolstats.query.StatsQuery;
import io.schoolstats.query.StoreSource;
import io.schoolstats.reference.Scope;
import io.schoolstats.stage.ClusterStage;
import io.schoolstats.stage.Stage;
import io.schoolstats.stage.StoreKeys.MemberShare;
import io.schoolstats.stage.StoreKeys.UnitPeriod;
import io.schoolstats.stage.UnitStage;
import io.schoolstats.stats.Period;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import io.schoolstats.report.Json;
import io.schoolstats.report.ReportType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.nio.file.Files;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** The real topology on TopologyTestDriver, with helpers that speak the contract's JSON. */
final class Harness implements AutoCloseable {
    final ReportOutcomes.Tally outcomes = new ReportOutcomes.Tally();
    /** "Today" for the readers (the current school day is never after it). */
    java.time.Clock clock = java.time.Clock.system(io.schoolstats.report.Received.DEFAULT_ZONE);
    /** The Kafka timestamp of the reports piped in; null: the driver's (now). */
    java.time.Instant receivedAt;
    /** Flush after every input (true), or only when a test calls flushNow(), to let outboxes fold. */
    boolean autoFlush = true;
    final TopologyTestDriver driver;
    /** The driver's application id, the prefix of the internal topics. */
    final String applicationId = "harness-" + UUID.randomUUID();
    private final Map<String, TestInputTopic<byte[], byte[]>> reports = new TreeMap<>();
    private final Map<String, TestInputTopic<String, byte[]>> references = new TreeMap<>();
    private final TestOutputTopic<String, byte[]> rejected;
    private final TestInputTopic<byte[], byte[]> scores;

    Harness() {
        Properties props = StreamsSettings.defaults(applicationId, "unused:9092");
        try {
            // Each driver its own state: a store left behind by another test must never be reused.
            props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("schoolstats-ttd").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        driver = new TopologyTestDriver(StatsTopology.build(props, new StatsTopology.Options(3, outcomes)), props);
        for (ReportType type : ReportType.values()) {
            reports.put(type.label(), driver.createInputTopic(type.topic(), new ByteArraySerializer(), new ByteArraySerializer()));
        }
        for (var topic : List.of(Topics.SCHOOLS, Topics.DISTRICTS, Topics.PROVINCES, Topics.CLUSTERS,
                Topics.EXAMS, Topics.EMULATION_SCHEMES)) {
            references.put(topic.name(), driver.createInputTopic(topic.name(), new StringSerializer(), new ByteArraySerializer()));
        }
        scores = driver.createInputTopic(Topics.EMULATION_SCORES.name(), new ByteArraySerializer(),
                new ByteArraySerializer());
        rejected = driver.createOutputTopic(Topics.REJECTED.name(), new StringDeserializer(), new ByteArrayDeserializer());
    }

    void report(ReportType type, String json) {
        report(type, null, json);
    }

    void report(ReportType type, String key, String json) {
        byte[] k = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
        byte[] v = json == null ? null : json.getBytes(StandardCharsets.UTF_8);
        if (receivedAt == null) {
            reports.get(type.label()).pipeInput(k, v);
        } else {
            reports.get(type.label()).pipeInput(k, v, receivedAt);
        }
        flush();
    }

    /**
     * Lets the unit stages send what they owe (their wall-clock flush), once per level of the
     * hierarchy: what a district flushes reaches its province's outbox, flushed next time.
     */
    void flush() {
        if (!autoFlush) {
            return;
        }
        flushNow();
    }

    /** Lets every stage send what it owes now, whatever autoFlush says. */
    void flushNow() {
        for (int level = 0; level < 3; level++) {
            driver.advanceWallClockTime(java.time.Duration.ofSeconds(1));
        }
    }

    /** An evaluator's score report, keyed by its cluster (null key: none). */
    void score(String key, String json) {
        scores.pipeInput(key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                json == null ? null : json.getBytes(StandardCharsets.UTF_8));
        flush();
    }

    void rawReport(ReportType type, byte[] value) {
        reports.get(type.label()).pipeInput(null, value);
        flush();
    }

    void attendance(String school, String date, long enrolled, long present, long revision) {
        report(ReportType.ATTENDANCE, school, String.format(
                "{\"schoolId\":\"%s\",\"date\":\"%s\",\"enrolled\":%d,\"present\":%d,\"revision\":%d}",
                school, date, enrolled, present, revision));
    }

    void school(String id, String district) {
        school(id, null, district);
    }

    /** A school's row for a school year (null: timeless) under a district or commune; null district deletes it. */
    void school(String id, String year, String district) {
        reference(Topics.SCHOOLS, key(id, year), district == null ? null : String.format(
                "{\"schoolId\":\"%s\",\"name\":\"Trường %s\",\"level\":\"PRIMARY\",\"district\":\"%s\"}", id, id, district));
    }

    /** A school's row for a school year (null: timeless) directly under a province. */
    void schoolUnderProvince(String id, String year, String province) {
        reference(Topics.SCHOOLS, key(id, year), String.format(
                "{\"schoolId\":\"%s\",\"name\":\"Trường %s\",\"level\":\"PRIMARY\",\"province\":\"%s\"}", id, id, province));
    }

    void district(String code, String province) {
        localUnit(code, null, "district", province);
    }

    /** A district's or commune's row for a school year (null: timeless); a null province deletes it. */
    void localUnit(String code, String year, String scope, String province) {
        reference(Topics.DISTRICTS, key(code, year), province == null ? null : String.format(
                "{\"code\":\"%s\",\"name\":\"%s %s\",\"province\":\"%s\",\"scope\":\"%s\"}", code,
                scope.equals("commune") ? "Xã" : "Quận", code, province, scope));
    }

    void province(String code) {
        province(code, null, "Tỉnh " + code);
    }

    /** A province's row for a school year (null: timeless); a null name deletes it. */
    void province(String code, String year, String name) {
        reference(Topics.PROVINCES, key(code, year), name == null ? null
                : String.format("{\"code\":\"%s\",\"name\":\"%s\"}", code, name));
    }

    private static String key(String id, String year) {
        return year == null ? id : id + "|" + year;
    }

    void cluster(String id, String year, String scope, String... members) {
        StringBuilder list = new StringBuilder();
        for (String m : members) {
            list.append(list.length() == 0 ? "" : ",").append('"').append(m).append('"');
        }
        reference(Topics.CLUSTERS, id + "|" + year, String.format(
                "{\"clusterId\":\"%s\",\"name\":\"Cụm %s\",\"schoolYear\":\"%s\",\"scope\":\"%s\",\"members\":[%s]}",
                id, id, year, scope, list));
    }

    void deleteCluster(String id, String year) {
        reference(Topics.CLUSTERS, id + "|" + year, null);
    }

    void reference(Topics.Topic<String, byte[]> topic, String key, String json) {
        references.get(topic.name()).pipeInput(key, json == null ? null : json.getBytes(StandardCharsets.UTF_8));
        flush();
    }

    /** The aggregate of a unit for a period, from the state store; null when there is none. */
    long[] stats(Scope scope, String code, String period) {
        KeyValueStore<UnitPeriod, long[]> store = driver.getKeyValueStore(UnitStage.statsStore(Stage.of(scope)));
        return store.get(new UnitPeriod(code, Period.decode(period)));
    }

    /** Every aggregate of a scope's stage, as "code|period" -> counts. */
    Map<String, List<Long>> all(Scope scope) {
        return all(UnitStage.statsStore(Stage.of(scope)), (UnitPeriod k) -> k.code() + "|" + k.period().encode());
    }

    /** Every member share of the clusters, as "clusterId|period|member" -> counts. */
    Map<String, List<Long>> memberShares() {
        return all(ClusterStage.MEMBER_STATS, (MemberShare k) -> k.clusterId() + "|" + k.period().encode() + "|" + k.member());
    }

    /** The figures as users read them (the API's and the metrics' reader). */
    StatsQuery query() {
        return new StatsQuery(stores(), clock);
    }

    /** The driver's stores: one task per stage. */
    StoreSource stores() {
        return new StoreSource() {
            @Override
            public <K, V> ReadOnlyKeyValueStore<K, V> store(String name) {
                return driver.getKeyValueStore(name);
            }
        };
    }

    private <K> Map<String, List<Long>> all(String storeName, java.util.function.Function<K, String> text) {
        Map<String, List<Long>> out = new TreeMap<>();
        KeyValueStore<K, long[]> store = driver.getKeyValueStore(storeName);
        try (KeyValueIterator<K, long[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<K, long[]> e = it.next();
                List<Long> values = new ArrayList<>();
                for (long v : e.value) {
                    values.add(v);
                }
                out.put(text.apply(e.key), values);
            }
        }
        return out;
    }

    /** The rejection envelopes written so far, parsed. */
    /** The envelopes written to reports.rejected since the last read, as bytes. */
    List<byte[]> rejectedBytes() {
        return rejected.readValuesToList();
    }

    List<JsonNode> rejected() {
        List<JsonNode> out = new ArrayList<>();
        for (byte[] value : rejected.readValuesToList()) {
            try {
                out.add(Json.MAPPER.readTree(value));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    private final Map<Scope, TestOutputTopic<String, byte[]>> statsTopics = new java.util.EnumMap<>(Scope.class);
    private final Map<String, TestOutputTopic<String, byte[]>> repartitionTopics = new TreeMap<>();

    /**
     * The records written to a repartition topic since the last call, named as in the topology
     * ({@code reports-by-school}); the driver keeps what it feeds back into the topology.
     */
    List<org.apache.kafka.streams.test.TestRecord<String, byte[]>> repartitioned(String name) {
        return repartitionTopics.computeIfAbsent(name, n -> driver.createOutputTopic(
                applicationId + "-" + n + "-repartition", new StringDeserializer(), new ByteArrayDeserializer()))
                .readRecordsToList();
    }

    /** The records written to {@code stats.<scope>} since the last call, in order. */
    List<org.apache.kafka.streams.test.TestRecord<String, byte[]>> statsRecords(Scope scope) {
        return statsTopics.computeIfAbsent(scope, this::output).readRecordsToList();
    }

    static JsonNode json(byte[] value) {
        try {
            return Json.MAPPER.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    TestOutputTopic<String, byte[]> output(Scope scope) {
        return driver.createOutputTopic(Topics.stats(scope).name(), new StringDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public void close() {
        driver.close();
    }
}
