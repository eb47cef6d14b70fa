package io.schoolstats.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Gauge;
import io.schoolstats.auth.Tokens;
import io.schoolstats.report.Json;
import io.schoolstats.service.StatsService;
import io.schoolstats.testing.KafkaBroker;
import io.schoolstats.testing.KafkaBroker.Broker;
import io.schoolstats.testing.RunningService;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and mistaken input (issue 11), against the real service on a real broker: each attack
 * gets a small, clear answer quickly, the service goes on serving, and its figures do not move.
 * Times are bounded generously (a shared machine), never measured.
 */
@ExtendWith(KafkaBroker.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputTest {
    private static final io.schoolstats.auth.TokenKeys KEYS = io.schoolstats.auth.TokenKeys.parse(
            "k1:a-test-secret-that-is-long-enough-for-hs256", "the test's keys");
    private static final Tokens TOKENS = new Tokens(KEYS);
    private static final String T = "H" + UUID.randomUUID().toString().substring(0, 5);
    private static final String P = T + "-P";
    private static final String D = T + "-D";
    private static final String S = T + "-S";
    private static final String OPERATOR = TOKENS.issueForOperator(Duration.ofDays(1)).token();
    private static final String SCHOOL = TOKENS.issueForSchool(S, Duration.ofDays(1)).token();
    /** Generous: the machine is shared; the point is that the answer comes, not how fast. */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(10);
    private static final int SMALL = 20 * 1024;

    private static RunningService app;

    @BeforeAll
    static void start(Broker broker, @TempDir Path state) {
        app = new RunningService(broker.bootstrapServers(), "hostile-" + T, state,
                new StatsService.Ingestion(KEYS, StatsService.Ingestion.DEFAULT_MAX_BODY_BYTES, Duration.ofSeconds(30)));
        assertThat(send("PUT", "/api/v1/reference/provinces", OPERATOR, "application/json",
                "[{\"code\":\"" + P + "\",\"name\":\"Tỉnh Thử\"}]").statusCode()).isEqualTo(202);
        assertThat(send("PUT", "/api/v1/reference/districts", OPERATOR, "application/json",
                "[{\"code\":\"" + D + "\",\"name\":\"Quận Thử\",\"province\":\"" + P + "\"}]").statusCode()).isEqualTo(202);
        assertThat(send("PUT", "/api/v1/reference/schools", OPERATOR, "application/json",
                "[{\"schoolId\":\"" + S + "\",\"name\":\"Trường Thử\",\"level\":\"PRIMARY\",\"district\":\"" + D + "\"}]")
                .statusCode()).isEqualTo(202);
        HttpResponse<String> first = post(SCHOOL, "application/json", attendance("2024-03-05", 100, 90, 1));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(present("2024-03-05")).isEqualTo(90));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    @Order(1)
    void aMegabyteOf349000EmptyItemsGetsA413Quickly() {
        String body = "[" + "{},".repeat(348_999) + "{}]";
        assertThat(body.length()).isGreaterThan(1_000_000);
        Answer answer = timed(() -> post(SCHOOL, "application/json", body));
        assertThat(answer.response.statusCode()).as(answer.response.body()).isEqualTo(413);
        assertThat(error(answer.response)).isEqualTo("more than 10000 items in one request: send at most 10000 at a time");
        answer.isSmallAndQuick();
        stillServes();
    }

    @Test
    @Order(2)
    void anArrayOf10001ValidItemsGetsA413SayingTheLimit() {
        List<String> items = new ArrayList<>();
        for (int i = 1; i <= 10_001; i++) {
            items.add(attendance("2024-04-01", 10, 5, i));
        }
        Answer answer = timed(() -> post(SCHOOL, "application/json", "[" + String.join(",", items) + "]"));
        assertThat(answer.response.statusCode()).isEqualTo(413);
        assertThat(error(answer.response)).contains("more than 10000 items");
        answer.isSmallAndQuick();
        // The same in CSV: rows are items.
        StringBuilder csv = new StringBuilder("schoolId,date,enrolled,present,revision\n");
        for (int i = 1; i <= 10_001; i++) {
            csv.append(S).append(",2024-04-01,10,5,").append(i).append('\n');
        }
        Answer rows = timed(() -> post(SCHOOL, "text/csv", csv.toString()));
        assertThat(rows.response.statusCode()).isEqualTo(413);
        assertThat(error(rows.response)).contains("more than 10000 items");
        rows.isSmallAndQuick();
        stillServes();
    }

    @Test
    @Order(3)
    void aBodyOf150InvalidItemsLists100ErrorsAndTheirTotal() {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            items.add(attendance("2024-04-02", 10, 11, 1));
        }
        Answer answer = timed(() -> post(SCHOOL, "application/json", "[" + String.join(",", items) + "]"));
        assertThat(answer.response.statusCode()).isEqualTo(400);
        JsonNode reply = read(answer.response);
        assertThat(reply.get("errors")).hasSize(100);
        assertThat(reply.get("total").asInt()).isEqualTo(150);
        assertThat(reply.at("/errors/99/index").asInt()).isEqualTo(99);
        assertThat(reply.get("accepted").asInt()).isZero();
        answer.isSmallAndQuick();
        stillServes();
    }

    @Test
    @Order(4)
    void aCsvCountOf400000DigitsIsRefusedQuotingAtMost100Characters() {
        String digits = "9".repeat(400_000);
        Answer answer = timed(() -> post(SCHOOL, "text/csv", "schoolId,date,enrolled,present\n"
                + S + ",2024-04-03," + digits + ",1\n"));
        assertThat(answer.response.statusCode()).isEqualTo(400);
        JsonNode error = read(answer.response).at("/errors/0");
        assertThat(error.get("index").asInt()).isEqualTo(2);
        assertThat(error.get("field").asText()).isEqualTo("enrolled");
        assertThat(error.get("message").asText()).startsWith("line 2, column 'enrolled'")
                .contains("9".repeat(100) + "…").doesNotContain("9".repeat(101));
        assertThat(answer.response.body().length()).isLessThan(1024);
        answer.isSmallAndQuick();
        // In JSON: refused by the parser before it becomes a number.
        Answer json = timed(() -> post(SCHOOL, "application/json", "[" + attendance("2024-04-03", 1, 1, 1)
                + ",{\"schoolId\":\"" + S + "\",\"date\":\"2024-04-03\",\"enrolled\":" + digits + ",\"present\":1}]"));
        assertThat(json.response.statusCode()).isEqualTo(400);
        assertThat(read(json.response).at("/errors/0/index").asInt()).isEqualTo(1);
        assertThat(json.response.body()).doesNotContain("9".repeat(101)).hasSizeLessThan(1024);
        json.isSmallAndQuick();
        stillServes();
    }

    @Test
    @Order(5)
    void aCsv20000ColumnsWideIsRefusedSaying200Columns() {
        StringBuilder csv = new StringBuilder("schoolId,date,enrolled,present");
        for (int i = 0; i < 20_000; i++) {
            csv.append(",extra_").append(i);
        }
        csv.append('\n');
        for (int row = 0; row < 50; row++) {
            csv.append(S).append(",2024-04-04,10,5").append(",x".repeat(20_000)).append('\n');
        }
        Answer answer = timed(() -> post(SCHOOL, "text/csv", csv.toString()));
        assertThat(answer.response.statusCode()).isEqualTo(400);
        assertThat(read(answer.response).at("/errors/0/message").asText())
                .isEqualTo("the CSV has more than 200 columns: at most 200 are read");
        answer.isSmallAndQuick();
        stillServes();
    }

    @Test
    @Order(6)
    void aCellOver1000CharactersIsRefusedNamingItsLineAndColumn() {
        String note = "Ghi chú " + "rất dài ".repeat(200);
        Answer answer = timed(() -> post(SCHOOL, "text/csv", "schoolId,date,enrolled,present,note\n"
                + S + ",2024-04-05,10,5,ngắn\n" + S + ",2024-04-06,10,5,\"" + note + "\"\n"));
        assertThat(answer.response.statusCode()).isEqualTo(400);
        JsonNode error = read(answer.response).at("/errors/0");
        assertThat(error.get("index").asInt()).isEqualTo(3);
        assertThat(error.get("field").asText()).isEqualTo("note");
        assertThat(error.get("message").asText()).isEqualTo("line 3, column 'note': a cell may have at most 1000 "
                + "characters; this one starts '" + note.substring(0, 100) + "…'");
        answer.isSmallAndQuick();
        HttpResponse<String> vi = app.send("POST", "/api/v1/reports/attendance", ("schoolId,date,enrolled,present,note\n"
                        + S + ",2024-04-06,10,5," + note + "\n").getBytes(StandardCharsets.UTF_8),
                "Authorization", "Bearer " + SCHOOL, "Content-Type", "text/csv", "Accept-Language", "vi");
        assertThat(read(vi).at("/errors/0/message").asText()).startsWith("Dòng 2, cột 'note': mỗi ô tối đa 1000 ký tự");
        stillServes();
    }

    @Test
    @Order(7)
    void aBodyTrickledSlowerThanTheMinimumRateIsCut() throws IOException {
        long start = System.nanoTime();
        try (Socket socket = new Socket("localhost", URI.create(app.url("/")).getPort())) {
            socket.setSoTimeout((int) Duration.ofSeconds(30).toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/reports/attendance HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + SCHOOL
                    + "\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n[")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            // 10 bytes at every poll, every 100 ms: 100 bytes/s, a tenth of the minimum, until the
            // server answers (or closes its side).
            await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        if (in.available() > 0) {
                            return true;
                        }
                        try {
                            out.write("          ".getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                            return false;
                        } catch (IOException e) {
                            return true; // the server closed its side
                        }
                    });
            String answer = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(answer).isEqualTo("HTTP/1.1 408");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        stillServes();
    }

    @Test
    @Order(8)
    void metricsAreServedFromTheRenderedPageWhileOtherRequestsRun() throws Exception {
        AtomicLong reads = new AtomicLong();
        AtomicLong value = new AtomicLong(7);
        Gauge.builder("schoolstats_test_probe", () -> {
            reads.incrementAndGet();
            return value.get();
        }).register(app.service().registry());
        await().atMost(ANSWER_WITHIN).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(app.metrics().value("schoolstats_test_probe")).contains(7.0));

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            long readsBefore = reads.get();
            long start = System.nanoTime();
            List<Future<Integer>> scrapes = new ArrayList<>();
            List<Future<Integer>> others = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                scrapes.add(pool.submit(() -> {
                    HttpResponse<String> r = app.get("/metrics");
                    assertThat(r.body()).contains("schoolstats_attendance_present");
                    return r.statusCode();
                }));
                if (i % 10 == 0) {
                    others.add(pool.submit(() -> app.get("/api/v1/stats/district/" + D).statusCode()));
                    others.add(pool.submit(() -> post(SCHOOL, "application/json",
                            attendance("2024-04-07", 10, 11, 1)).statusCode()));
                }
            }
            for (Future<Integer> f : scrapes) {
                assertThat(f.get()).isEqualTo(200);
            }
            for (Future<Integer> f : others) {
                assertThat(f.get()).isIn(200, 400);
            }
            // 200 scrapes, a handful of renderings: a scrape copies the aggregates' latest text, and
            // the meters (this probe among them) are rendered at most once a second.
            long ticks = Duration.ofNanos(System.nanoTime() - start).toMillis() / 1000 + 2;
            assertThat(reads.get() - readsBefore).isLessThanOrEqualTo(ticks).isLessThan(scrapes.size());
        } finally {
            pool.shutdownNow();
        }

        // Gzip as Prometheus asks for it, compressed once per rendering.
        HttpResponse<byte[]> gzipped = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(app.url("/metrics")))
                .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(gzipped.headers().firstValue("Content-Encoding")).contains("gzip");
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("schoolstats_test_probe 7.0");
        }

        // Fresh within about a second, even with nobody scraping in between.
        value.set(42);
        await().atMost(ANSWER_WITHIN).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(app.metrics().value("schoolstats_test_probe")).contains(42.0));
    }

    @Test
    @Order(9)
    void theFiguresDidNotMove() {
        // A marker sent after every attack, to the same school's partition: once it counts, anything
        // of the refused bodies would have counted too.
        assertThat(post(SCHOOL, "application/json", attendance("2024-03-06", 100, 77, 1)).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(present("2024-03-06")).isEqualTo(77));
        assertThat(present("2024-03-05")).isEqualTo(90);
        for (String day : List.of("2024-04-01", "2024-04-02", "2024-04-03", "2024-04-04", "2024-04-05", "2024-04-06",
                "2024-04-07")) {
            assertThat(app.json("/api/v1/stats/district/" + D + "?date=" + day).at("/attendance/enrolled").asLong())
                    .as(day).isZero();
        }
        // /metrics follows within a full refresh (2 s) and a rendering (1 s).
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(app.metrics().value("schoolstats_attendance_enrolled", "code", D)).isPresent());
        assertThat(app.get("/health/ready").statusCode()).isEqualTo(200);
    }

    /** A normal request still works after an attack. */
    private static void stillServes() {
        HttpResponse<String> ok = post(SCHOOL, "application/json", attendance("2024-03-05", 100, 90, 1));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(202); // a duplicate of the first: accepted, counts once
        assertThat(app.get("/api/v1/stats/district/" + D).statusCode()).isEqualTo(200);
    }

    private record Answer(HttpResponse<String> response, Duration took) {
        void isSmallAndQuick() {
            assertThat(response.body().getBytes(StandardCharsets.UTF_8).length).as(response.body()).isLessThan(SMALL);
            assertThat(took).isLessThan(ANSWER_WITHIN);
        }
    }

    private interface Call {
        HttpResponse<String> call();
    }

    private static Answer timed(Call call) {
        long start = System.nanoTime();
        HttpResponse<String> response = call.call();
        return new Answer(response, Duration.ofNanos(System.nanoTime() - start));
    }

    private static long present(String date) {
        return app.json("/api/v1/stats/district/" + D + "?date=" + date).at("/attendance/present").asLong();
    }

    private static String attendance(String date, int enrolled, int present, int revision) {
        return String.format("{\"schoolId\":\"%s\",\"date\":\"%s\",\"enrolled\":%d,\"present\":%d,\"revision\":%d}",
                S, date, enrolled, present, revision);
    }

    private static HttpResponse<String> post(String token, String contentType, String body) {
        return send("POST", "/api/v1/reports/attendance", token, contentType, body);
    }

    private static HttpResponse<String> send(String method, String path, String token, String contentType, String body) {
        return app.send(method, path, body.getBytes(StandardCharsets.UTF_8), "Authorization", "Bearer " + token,
                "Content-Type", contentType);
    }

    private static String error(HttpResponse<String> response) {
        return read(response).get("error").asText();
    }

    private static JsonNode read(HttpResponse<String> response) {
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(response.body(), e);
        }
    }
}
