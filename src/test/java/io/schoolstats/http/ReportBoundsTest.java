package io.schoolstats.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.schoolstats.auth.TokenKeys;
import io.schoolstats.auth.Tokens;
import io.schoolstats.contract.Topics;
import io.schoolstats.ingest.Audit;
import io.schoolstats.report.Json;
import io.schoolstats.service.StatsService;
import io.schoolstats.testing.KafkaBroker;
import io.schoolstats.testing.KafkaBroker.Broker;
import io.schoolstats.testing.RunningService;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attacks and mistakes of issue 11 on the stream side and its HTTP checks, against the real
 * service on a real broker: each gets a bounded, clear answer, and no figure moves.
 */
@ExtendWith(KafkaBroker.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReportBoundsTest {
    private static final TokenKeys KEYS = TokenKeys.parse("k1:a-test-secret-that-is-long-enough-for-hs256",
            "the test's keys");
    private static final Tokens TOKENS = new Tokens(KEYS);
    private static final String T = "H" + UUID.randomUUID().toString().substring(0, 5);
    private static final String P = T + "-P";
    private static final String D = T + "-D";
    private static final String S = T + "-S";
    /** S and others: their reports spread over the partitions of the school stage. */
    private static final List<String> SCHOOLS = List.of(S, T + "-S2", T + "-S3", T + "-S4", T + "-S5", T + "-S6");
    private static final String OPERATOR = TOKENS.issueForOperator(Duration.ofDays(1)).token();
    private static final Tokens.Issued SCHOOL = TOKENS.issueForSchool(S, Duration.ofDays(1));

    private static RunningService app;
    private static String bootstrap;

    @BeforeAll
    static void start(Broker broker, @TempDir Path state) {
        bootstrap = broker.bootstrapServers();
        app = new RunningService(bootstrap, "bounds-" + T, state,
                new StatsService.Ingestion(KEYS, 1024 * 1024, Duration.ofSeconds(10)));
        assertThat(send("PUT", "/api/v1/reference/provinces", OPERATOR, "[{\"code\":\"" + P + "\",\"name\":\"Tỉnh\"}]")
                .statusCode()).isEqualTo(202);
        assertThat(send("PUT", "/api/v1/reference/districts", OPERATOR, "[{\"code\":\"" + D + "\",\"name\":\"Huyện\","
                + "\"province\":\"" + P + "\"}]").statusCode()).isEqualTo(202);
        StringBuilder schools = new StringBuilder("[");
        for (String school : SCHOOLS) {
            schools.append(schools.length() > 1 ? "," : "").append("{\"schoolId\":\"").append(school)
                    .append("\",\"name\":\"Trường\",\"level\":\"UPPER_SECONDARY\",\"district\":\"").append(D).append("\"}");
        }
        assertThat(send("PUT", "/api/v1/reference/schools", OPERATOR, schools + "]").statusCode()).isEqualTo(202);
        assertThat(send("POST", "/api/v1/reports/attendance", SCHOOL.token(), attendance("2024-03-05", 100, 90))
                .statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() ->
                app.get("/api/v1/stats/district/" + D).statusCode() == 200
                        && app.json("/api/v1/stats/district/" + D).at("/attendance/present").asLong() == 90
                        && app.json("/api/v1/stats/district/" + D).at("/registeredSchools").asLong() == SCHOOLS.size());
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    private static HttpResponse<String> send(String method, String path, String token, String body) {
        return app.send(method, path, body.getBytes(StandardCharsets.UTF_8), "Authorization", "Bearer " + token,
                "Content-Type", "application/json");
    }

    private static String attendance(String date, int enrolled, int present) {
        return "{\"schoolId\":\"" + S + "\",\"date\":\"" + date + "\",\"enrolled\":" + enrolled + ",\"present\":"
                + present + "}";
    }

    private static JsonNode read(HttpResponse<String> response) {
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonNode district() {
        return app.json("/api/v1/stats/district/" + D);
    }

    @Test
    @Order(1)
    void datesBeyondTomorrowAndYearsOutOfRangeAreRefusedAndTheCurrentDayStays() {
        JsonNode before = district();
        HttpResponse<String> future = send("POST", "/api/v1/reports/attendance", SCHOOL.token(),
                attendance("9999-12-31", 100, 1));
        assertThat(future.statusCode()).isEqualTo(400);
        assertThat(read(future).at("/errors/0/reason").asText()).isEqualTo("date_in_future");
        HttpResponse<String> year = send("POST", "/api/v1/reports/exam", SCHOOL.token(), "{\"schoolId\":\"" + S
                + "\",\"schoolYear\":\"2090-2091\",\"exam\":\"THPT_GRADUATION\",\"candidates\":4,\"passed\":1}");
        assertThat(year.statusCode()).isEqualTo(400);
        assertThat(read(year).at("/errors/0/reason").asText()).isEqualTo("school_year_out_of_range");

        // Straight to Kafka, the stream rejects it the same way, with the same reason.
        produce(Topics.reports(io.schoolstats.report.ReportType.ATTENDANCE).name(), S,
                attendance("9999-12-31", 100, 1).getBytes(StandardCharsets.UTF_8), Map.of());
        JsonNode envelope = awaitRejected(T + "-future", "9999-12-31");
        assertThat(envelope.get("reason").asText()).isEqualTo("date_in_future");

        // A producer whose clock runs days ahead: the broker refuses its record (the report topics
        // are created with message.timestamp.after.max.ms of a day), so its dates stay bounded too.
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            long ahead = System.currentTimeMillis() + Duration.ofDays(3).toMillis();
            var sent = producer.send(new ProducerRecord<>(Topics.reports(io.schoolstats.report.ReportType.ATTENDANCE)
                    .name(), null, ahead, S.getBytes(StandardCharsets.UTF_8), attendance("2024-03-05", 1, 1)
                    .getBytes(StandardCharsets.UTF_8)));
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> sent.get(30, java.util.concurrent.TimeUnit.SECONDS)))
                    .hasCauseInstanceOf(org.apache.kafka.common.errors.InvalidTimestampException.class);
        }
        assertThat(district().at("/attendance")).isEqualTo(before.at("/attendance"));
    }

    @Test
    @Order(0)
    void lookalikeIdsAreRefusedAndAnNfdIdIsTheSameSchool() {
        HttpResponse<String> hidden = send("POST", "/api/v1/reports/attendance", OPERATOR, "{\"schoolId\":\"" + S
                + "\\u200B\",\"date\":\"2024-03-04\",\"enrolled\":5,\"present\":5}");
        assertThat(hidden.statusCode()).isEqualTo(400);
        assertThat(read(hidden).at("/errors/0/reason").asText()).isEqualTo("invalid_text");
        assertThat(read(hidden).at("/errors/0/message").asText()).contains("U+200B");
        HttpResponse<String> reversed = send("PUT", "/api/v1/reference/districts", OPERATOR, "[{\"code\":\"" + D
                + "X\",\"name\":\"Huyện \\u202Eabc\",\"province\":\"" + P + "\"}]");
        assertThat(reversed.statusCode()).isEqualTo(400);
        assertThat(read(reversed).at("/errors/0/reason").asText()).isEqualTo("invalid_text");
        assertThat(app.get("/api/v1/stats/district/" + D + "?date=2024-03-04").statusCode()).isEqualTo(200);
        assertThat(app.json("/api/v1/stats/district/" + D + "?date=2024-03-04").at("/attendance/enrolled").asLong())
                .isZero();
    }

    @Test
    @Order(2)
    void anUnknownExamIsRefusedOverHttpUntilAnOperatorAddsIt() {
        String exam = "{\"schoolId\":\"" + S + "\",\"schoolYear\":\"2023-2024\",\"exam\":\"ZZ_NOT_AN_EXAM_42\","
                + "\"candidates\":40,\"passed\":30}";
        HttpResponse<String> refused = send("POST", "/api/v1/reports/exam", SCHOOL.token(), exam);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(read(refused).at("/errors/0/reason").asText()).isEqualTo("unknown_exam");
        assertThat(read(refused).at("/errors/0/field").asText()).isEqualTo("exam");

        assertThat(send("PUT", "/api/v1/reference/exams", OPERATOR, "[{\"code\":\"ZZ_NOT_AN_EXAM_42\","
                + "\"name\":\"Kỳ thi thử\"}]").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() ->
                send("POST", "/api/v1/reports/exam", SCHOOL.token(), exam).statusCode() == 202);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                assertThat(app.metrics().value("schoolstats_exam_candidates", "code", D, "exam", "ZZ_NOT_AN_EXAM_42"))
                        .contains(40.0));
    }

    @Test
    @Order(3)
    void whatReachesKafkaIsTheCanonicalReportWithWhoSentIt() {
        String padded = "{\"schoolId\":\"" + S + "\",\"date\":\"2024-03-06\",\"enrolled\":100,\"present\":80,"
                + "\"note\":\"" + "x".repeat(9_000) + "\",\"extra\":{\"nested\":[1,2,3]}}";
        HttpResponse<String> accepted = send("POST", "/api/v1/reports/attendance", SCHOOL.token(), padded);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String requestId = accepted.headers().firstValue("X-Request-Id").orElseThrow();

        ConsumerRecord<byte[], byte[]> written = awaitRecord(Topics.reports(io.schoolstats.report.ReportType.ATTENDANCE)
                .name(), r -> new String(r.value(), StandardCharsets.UTF_8).contains("2024-03-06"));
        assertThat(new String(written.value(), StandardCharsets.UTF_8)).isEqualTo("{\"schoolId\":\"" + S
                + "\",\"date\":\"2024-03-06\",\"enrolled\":100,\"present\":80,\"revision\":1}");
        Map<String, String> audit = Audit.of(written.headers());
        assertThat(audit).containsEntry(Audit.SUBMITTER, "school:" + S)
                .containsEntry(Audit.TOKEN_ID, SCHOOL.claims().tokenId())
                .containsEntry(Audit.REQUEST_ID, requestId);
        for (var header : written.headers()) {
            assertThat(new String(header.value(), StandardCharsets.UTF_8)).doesNotContain(SCHOOL.token());
        }
    }

    @Test
    @Order(4)
    void anOversizedMalformedRecordGetsASmallEnvelopeWithItsAuditHeadersAndTheStreamGoesOn() {
        JsonNode before = app.json("/api/v1/stats/district/" + D + "?date=2024-03-07");
        byte[] huge = ("{\"schoolId\":\"" + S + "\",\"date\":\"2024-03-07\",\"garbage\":\"" + "y".repeat(900_000))
                .getBytes(StandardCharsets.UTF_8);
        produce(Topics.reports(io.schoolstats.report.ReportType.ATTENDANCE).name(), S, huge,
                Map.of(Audit.SUBMITTER, "school:" + S, Audit.TOKEN_ID, "tid-1", Audit.REQUEST_ID, "rid-1"));
        ConsumerRecord<byte[], byte[]> rejected = awaitRecord(Topics.REJECTED.name(),
                r -> new String(r.value(), StandardCharsets.UTF_8).contains("rid-1"));
        assertThat(rejected.value().length).isLessThan(40_000);
        JsonNode envelope = parse(rejected.value());
        assertThat(envelope.get("reason").asText()).isEqualTo("malformed_json");
        assertThat(envelope.get("valueBytes").asInt()).isEqualTo(huge.length);
        assertThat(envelope.get("valueTruncated").asBoolean()).isTrue();
        assertThat(envelope.at("/submittedBy/" + Audit.SUBMITTER).asText()).isEqualTo("school:" + S);
        assertThat(envelope.at("/submittedBy/" + Audit.REQUEST_ID).asText()).isEqualTo("rid-1");

        // The stream goes on: a report after it counts.
        assertThat(send("POST", "/api/v1/reports/attendance", SCHOOL.token(), attendance("2024-03-08", 10, 7))
                .statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() ->
                app.json("/api/v1/stats/district/" + D + "?date=2024-03-08").at("/attendance/present").asLong() == 7);
        assertThat(app.json("/api/v1/stats/district/" + D + "?date=2024-03-07").at("/attendance"))
                .isEqualTo(before.at("/attendance"));
    }

    @Test
    @Order(5)
    void onKafkaAnUnknownExamIsHeldInEveryPartitionAndCountsOnceAdded() {
        String topic = Topics.reports(io.schoolstats.report.ReportType.EXAM).name();
        for (String school : SCHOOLS) {
            produce(topic, school, ("{\"schoolId\":\"" + school + "\",\"schoolYear\":\"2023-2024\",\"exam\":"
                    + "\"ZZ_HELD_7\",\"candidates\":10,\"passed\":4}").getBytes(StandardCharsets.UTF_8), Map.of());
        }
        // A marker from every school after its held report: once all count, the held ones were read.
        for (String school : SCHOOLS) {
            produce(Topics.reports(io.schoolstats.report.ReportType.ATTENDANCE).name(), school, ("{\"schoolId\":\""
                    + school + "\",\"date\":\"2024-02-01\",\"enrolled\":1,\"present\":1}")
                    .getBytes(StandardCharsets.UTF_8), Map.of());
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() ->
                app.json("/api/v1/stats/district/" + D + "?date=2024-02-01").at("/attendance/present").asLong()
                        == SCHOOLS.size());
        assertThat(app.json("/api/v1/stats/district/" + D + "?schoolYear=2023-2024").toString()).doesNotContain("ZZ_HELD_7");
        assertThat(app.metrics().value("schoolstats_exam_candidates", "code", D, "exam", "ZZ_HELD_7")).isEmpty();

        assertThat(send("PUT", "/api/v1/reference/exams", OPERATOR, "[{\"code\":\"ZZ_HELD_7\",\"name\":\"Giữ lại\"}]")
                .statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                assertThat(app.metrics().value("schoolstats_exam_candidates", "code", D, "exam", "ZZ_HELD_7"))
                        .contains(10.0 * SCHOOLS.size()));
    }

    private static JsonNode parse(byte[] bytes) {
        try {
            return Json.MAPPER.readTree(bytes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void produce(String topic, String key, byte[] value, Map<String, String> headers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_000_000);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            var record = new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value);
            headers.forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
            producer.send(record);
            producer.flush();
        }
    }

    private static JsonNode awaitRejected(String what, String contains) {
        return parse(awaitRecord(Topics.REJECTED.name(),
                r -> new String(r.value(), StandardCharsets.UTF_8).contains(contains)).value());
    }

    /** The first record of the topic (read from the start, committed only) that matches, within a minute. */
    private static ConsumerRecord<byte[], byte[]> awaitRecord(String topic,
                                                            java.util.function.Predicate<ConsumerRecord<byte[], byte[]>> match) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bounds-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (var r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value() != null && match.test(r)) {
                        found.add(r);
                    }
                }
                return !found.isEmpty();
            });
            return found.get(0);
        }
    }
}
