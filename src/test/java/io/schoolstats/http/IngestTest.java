package io.schoolstats.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.schoolstats.auth.Revocations;
import io.schoolstats.auth.RevokedTokens;
import io.schoolstats.auth.TokenKeys;
import io.schoolstats.auth.Tokens;
import io.schoolstats.cli.Main;
import io.schoolstats.reference.Scope;
import io.schoolstats.report.Json;
import io.schoolstats.service.StatsService;
import io.schoolstats.testing.KafkaBroker;
import io.schoolstats.testing.KafkaBroker.Broker;
import io.schoolstats.testing.PrometheusText;
import io.schoolstats.testing.RunningService;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Assumptions;

/** Schools and operators pushing over HTTP, against the real service on a real broker. */
@ExtendWith(KafkaBroker.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IngestTest {
    private static final TokenKeys KEYS = TokenKeys.parse("k2:a-test-secret-that-is-long-enough-for-hs256,"
            + "k1:an-older-test-secret-still-verifying-tokens", "the test's keys");
    private static final Tokens TOKENS = new Tokens(KEYS);
    private static final String T = "I" + UUID.randomUUID().toString().substring(0, 5);
    private static final String P = T + "-P";
    private static final String D1 = T + "-D1";
    private static final String D2 = T + "-D2";
    private static final String S1 = T + "-S1";
    private static final String S2 = T + "-S2";
    private static final String S3 = T + "-S3";
    private static final String OPERATOR = TOKENS.issueForOperator(Duration.ofDays(1)).token();
    private static final Tokens.Issued SCHOOL1_ISSUED = TOKENS.issueForSchool(S1, Duration.ofDays(1));
    private static final String SCHOOL1 = SCHOOL1_ISSUED.token();
    private static final String SCHOOL1_ID = SCHOOL1_ISSUED.claims().tokenId();

    private static RunningService app;

    @BeforeAll
    static void start(Broker broker, @TempDir Path state) {
        app = new RunningService(broker.bootstrapServers(), "ingest-" + T, state,
                new StatsService.Ingestion(KEYS, 64 * 1024, Duration.ofSeconds(3)));
        put("provinces", "[{\"code\":\"" + P + "\",\"name\":\"Tỉnh Nhập Liệu\"}]");
        put("districts", "[{\"code\":\"" + D1 + "\",\"name\":\"Quận Một\",\"province\":\"" + P + "\"},"
                + "{\"code\":\"" + D2 + "\",\"name\":\"Huyện Hai\",\"province\":\"" + P + "\"}]");
        HttpResponse<String> schools = app.send("PUT", "/api/v1/reference/schools", (
                "schoolId;name;level;district\n"
                        + S1 + ";\"Trường Tiểu học Kim Liên; cơ sở 1\";PRIMARY;" + D1 + "\n"
                        + S2 + ";Trường THCS Đống Đa;LOWER_SECONDARY;" + D1 + "\n"
                        + S3 + ";Trường THPT Sơn Tây;UPPER_SECONDARY;" + D2 + "\n").getBytes(StandardCharsets.UTF_8),
                "Authorization", "Bearer " + OPERATOR, "Content-Type", "text/csv");
        assertThat(schools.statusCode()).as(schools.body()).isEqualTo(202);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    @Order(1)
    void aJsonBatchAndASpreadsheetCsvAreCountedExactly() {
        HttpResponse<String> json = post("attendance", SCHOOL1, "application/json", "["
                + attendance(S1, "2024-03-04", 100, 90, 1) + "," + attendance(S1, "2024-03-05", 100, 95, 1) + "]");
        assertThat(json.statusCode()).as(json.body()).isEqualTo(202);
        assertThat(json.body()).isEqualTo("{\"accepted\":2}");

        // As a spreadsheet exports it: BOM, semicolons, quoted fields, Vietnamese text, extra columns.
        String csv = "\uFEFFschoolId;date;enrolled;present;ghi_chu\r\n"
                + S2 + ";2024-03-05;50;45;\"Lớp 6A nghỉ; đi tham quan\"\r\n"
                + S3 + ";2024-03-05;200;150;Không có ghi chú\r\n";
        HttpResponse<String> fromCsv = post("attendance", OPERATOR, "text/csv; charset=utf-8", csv);
        assertThat(fromCsv.statusCode()).as(fromCsv.body()).isEqualTo(202);
        assertThat(fromCsv.body()).isEqualTo("{\"accepted\":2}");

        String exams = "schoolId,schoolYear,exam,candidates,passed,band_0_1,band_1_2,band_2_3,band_3_4,band_4_5,"
                + "band_5_6,band_6_7,band_7_8,band_8_9,band_9_10,award_first,award_consolation\n"
                + S3 + ",2023-2024,THPT_GRADUATION,40,38,0,0,1,1,2,6,10,10,6,4,1,2\n";
        assertThat(post("exam", OPERATOR, "text/csv", exams).statusCode()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            PrometheusText m = app.metrics();
            assertThat(m.value("schoolstats_attendance_present", "scope", "district", "code", D1)).contains(140.0);
            assertThat(m.value("schoolstats_attendance_enrolled", "scope", "district", "code", D1)).contains(150.0);
            assertThat(m.value("schoolstats_attendance_present", "scope", "province", "code", P,
                    "name", "Tỉnh Nhập Liệu")).contains(290.0);
            assertThat(m.value("schoolstats_exam_papers", "code", D2, "band", "9-10")).contains(4.0);
            assertThat(m.value("schoolstats_exam_awards", "code", P, "award", "consolation")).contains(2.0);
        });
        assertThat(app.json("/api/v1/stats/district/" + D1).at("/attendanceSchoolYear/present").asLong()).isEqualTo(230);
    }

    @Test
    @Order(2)
    void anInvalidItemAnywhereWritesNothing() {
        HttpResponse<String> bad = post("attendance", OPERATOR, "application/json", "["
                + attendance(S1, "2024-03-01", 100, 1, 1) + "," + attendance(S2, "2024-03-01", 50, 1, 1) + ","
                + attendance(S3, "2024-03-01", 10, 11, 1) + "]");
        assertThat(bad.statusCode()).isEqualTo(400);
        JsonNode errors = read(bad).get("errors");
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).get("index").asInt()).isEqualTo(2);
        assertThat(errors.get(0).get("field").asText()).isEqualTo("present");
        assertThat(errors.get(0).get("message").asText()).contains("must not exceed");

        HttpResponse<String> badCsv = post("attendance", OPERATOR, "text/csv", "schoolId,date,enrolled,present\n"
                + S1 + ",2024-03-01,100,1\n" + S2 + ",2024-02-30,50,1\n" + S3 + ",2024-03-01,ten,1\n");
        assertThat(badCsv.statusCode()).isEqualTo(400);
        assertThat(read(badCsv).get("errors")).extracting(e -> e.get("index").asInt() + ":" + e.get("field").asText())
                .containsExactly("3:date", "4:enrolled");

        // A marker sent after the refused batches, to the same schools' partitions: once it counts,
        // anything of the refused batches would have counted too.
        assertThat(post("attendance", OPERATOR, "application/json", "[" + attendance(S1, "2024-02-29", 10, 7, 1) + ","
                + attendance(S2, "2024-02-29", 10, 7, 1) + "]").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(app.json("/api/v1/stats/district/" + D1 + "?date=2024-02-29").at("/attendance/present").asLong())
                        .isEqualTo(14));
        JsonNode refused = app.json("/api/v1/stats/district/" + D1 + "?date=2024-03-01");
        assertThat(refused.at("/attendance/enrolled").asLong()).isZero();
    }

    @Test
    @Order(3)
    void tokensAreChecked() {
        assertThat(post("attendance", null, "application/json", attendance(S1, "2024-03-06", 1, 1, 1)).statusCode())
                .isEqualTo(401);
        String expired = new Tokens(KEYS, Revocations.NONE, Clock.fixed(Instant.now().minus(Duration.ofDays(3)),
                ZoneOffset.UTC)).issueForSchool(S1, Duration.ofDays(2)).token();
        HttpResponse<String> late = post("attendance", expired, "application/json", attendance(S1, "2024-03-06", 1, 1, 1));
        assertThat(late.statusCode()).isEqualTo(401);
        assertThat(read(late).get("error").asText()).contains("expired");
        String tampered = SCHOOL1.substring(0, SCHOOL1.length() - 3) + (SCHOOL1.endsWith("AAA") ? "BBB" : "AAA");
        assertThat(post("attendance", tampered, "application/json", attendance(S1, "2024-03-06", 1, 1, 1)).statusCode())
                .isEqualTo(401);
        String otherSecret = new Tokens(TokenKeys.parse("k2:another-secret-also-long-enough-for-hs256", "test"))
                .issueForOperator(Duration.ofDays(1)).token();
        assertThat(post("attendance", otherSecret, "application/json", attendance(S1, "2024-03-06", 1, 1, 1)).statusCode())
                .isEqualTo(401);
        String retiredKey = new Tokens(TokenKeys.parse("k0:a-retired-secret-no-longer-configured-here", "test"))
                .issueForOperator(Duration.ofDays(1)).token();
        HttpResponse<String> unknownKey = post("attendance", retiredKey, "application/json",
                attendance(S1, "2024-03-06", 1, 1, 1));
        assertThat(unknownKey.statusCode()).isEqualTo(401);
        assertThat(read(unknownKey).get("error").asText()).contains("'k0'").contains("does not know");
        String olderKey = new Tokens(TokenKeys.parse("k1:an-older-test-secret-still-verifying-tokens", "test"))
                .issueForSchool(S1, Duration.ofDays(1)).token();
        assertThat(post("attendance", olderKey, "application/json", attendance(S1, "2024-03-06", 1, 1, 1)).statusCode())
                .as("a token of a key that still verifies").isEqualTo(202);

        HttpResponse<String> otherSchool = post("attendance", SCHOOL1, "application/json", "["
                + attendance(S1, "2024-03-06", 1, 1, 1) + "," + attendance(S2, "2024-03-06", 1, 1, 1) + "]");
        assertThat(otherSchool.statusCode()).isEqualTo(403);
        assertThat(read(otherSchool).get("error").asText()).contains(S2);
        HttpResponse<String> schoolChangesReference = app.send("PUT", "/api/v1/reference/provinces",
                "[{\"code\":\"X\",\"name\":\"X\"}]".getBytes(StandardCharsets.UTF_8),
                "Authorization", "Bearer " + SCHOOL1, "Content-Type", "application/json");
        assertThat(schoolChangesReference.statusCode()).isEqualTo(403);

        byte[] huge = new byte[70 * 1024];
        java.util.Arrays.fill(huge, (byte) ' ');
        HttpResponse<String> tooLarge = app.send("POST", "/api/v1/reports/attendance", huge,
                "Authorization", "Bearer " + OPERATOR, "Content-Type", "application/json");
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(read(tooLarge).get("error").asText()).contains("65536");
    }

    @Test
    @Order(4)
    void messagesInVietnameseOnRequest() {
        HttpResponse<String> bad = app.send("POST", "/api/v1/reports/attendance",
                attendance(S1, "2024-03-06", 10, 11, 1).getBytes(StandardCharsets.UTF_8),
                "Authorization", "Bearer " + SCHOOL1, "Content-Type", "application/json", "Accept-Language", "vi-VN,vi;q=0.9");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(read(bad).at("/errors/0/message").asText()).isEqualTo("Số học sinh có mặt (11) không được lớn hơn sĩ số (10)");
        HttpResponse<String> noToken = app.send("POST", "/api/v1/reports/attendance", new byte[0], "Accept-Language", "vi");
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(read(noToken).get("error").asText()).startsWith("Cần mã truy cập");
    }

    @Test
    @Order(5)
    void pushSendsAFileThroughTheApiOrToKafka(Broker broker, @TempDir Path dir) throws IOException {
        Path file = dir.resolve("diem-danh.csv");
        Files.writeString(file, "\uFEFFschoolId,date,enrolled,present\n" + S1 + ",2024-03-07,100,80\n"
                + S1 + ",2024-03-08,100,101\n" + S1 + ",2024-03-11,100,70\n", StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int viaHttp;
        int viaKafka;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            viaHttp = Main.commandLine().execute("push", "--type", "attendance", "--file", file.toString(),
                    "--url", app.url(""), "--token-file", tokenFile(dir, SCHOOL1).toString());
            Path json = dir.resolve("exam.json");
            Files.writeString(json, "[{\"schoolId\":\"" + S2 + "\",\"schoolYear\":\"2023-2024\",\"exam\":\"GRADE10_ENTRANCE\","
                    + "\"candidates\":30,\"passed\":21}]");
            viaKafka = Main.commandLine().execute("push", "--type", "exam", "--file", json.toString(),
                    "--bootstrap-servers", broker.bootstrapServers());
        } finally {
            System.setOut(original);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(viaHttp).as(printed).isEqualTo(2);
        assertThat(printed).contains("rejected line 3: present:").contains("accepted 2 of 3 lines, rejected 1")
                .contains("accepted 1 of 1 items, rejected 0");
        assertThat(viaKafka).isZero();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(app.json("/api/v1/stats/district/" + D1 + "?date=2024-03-11").at("/attendance/present").asLong())
                    .isEqualTo(70);
            assertThat(app.metrics().value("schoolstats_exam_pass_ratio", "code", D1, "exam", "GRADE10_ENTRANCE"))
                    .contains(0.7);
        });
        assertThat(app.json("/api/v1/stats/district/" + D1 + "?date=2024-03-08").at("/attendance/enrolled").asLong()).isZero();
    }

    @Test
    @Order(6)
    void randomAndTruncatedBodiesNeverGetAServerError() {
        Random random = new Random(42);
        List<String> valid = List.of(attendance(S1, "2024-03-05", 100, 95, 9), "[" + attendance(S1, "2024-03-05", 1, 1, 9) + "]",
                "{\"schoolId\":\"" + S3 + "\",\"schoolYear\":\"2023-2024\",\"exam\":\"X\",\"candidates\":4,\"passed\":1,"
                        + "\"scoreBands\":[0,0,0,0,0,0,0,0,0,4],\"awards\":{\"first\":1}}",
                "[{\"code\":\"" + P + "\",\"name\":\"Tỉnh\"}]");
        List<String> paths = List.of("/api/v1/reports/attendance", "/api/v1/reports/completion", "/api/v1/reports/exam",
                "/api/v1/reference/schools", "/api/v1/reference/districts", "/api/v1/reference/provinces",
                "/api/v1/reference/clusters", "/api/v1/reports/weather");
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < 240; i++) {
            byte[] body = switch (i % 4) {
                case 0 -> { // truncated JSON: never valid
                    String v = valid.get(random.nextInt(valid.size()));
                    yield v.substring(0, random.nextInt(v.length() - 1)).getBytes(StandardCharsets.UTF_8);
                }
                case 1 -> { // random bytes
                    byte[] b = new byte[random.nextInt(300)];
                    random.nextBytes(b);
                    yield b;
                }
                case 2 -> ("{\"schoolId\":" + List.of("null", "1e999", "[]", "{}", "\"\\u0000\"", "true",
                        "99999999999999999999999").get(random.nextInt(7)) + ",\"date\":[],\"enrolled\":-1}")
                        .getBytes(StandardCharsets.UTF_8);
                default -> { // mutated JSON
                    byte[] b = valid.get(random.nextInt(valid.size())).getBytes(StandardCharsets.UTF_8);
                    b[random.nextInt(b.length)] = (byte) "{}[],:\"0-".charAt(random.nextInt(9));
                    yield b;
                }
            };
            String path = paths.get(random.nextInt(paths.size()));
            String method = path.contains("reference") ? "PUT" : "POST";
            String type = random.nextBoolean() ? "application/json" : "text/csv";
            String token = List.of(OPERATOR, SCHOOL1, "sst1.garbage", "").get(random.nextInt(4));
            HttpResponse<String> r = app.send(method, path, body, "Authorization", "Bearer " + token, "Content-Type", type);
            boolean hasMessage = r.body().contains("\"error\"") || r.body().contains("\"errors\"");
            boolean clientError = r.statusCode() >= 400 && r.statusCode() < 500;
            boolean validByChance = r.statusCode() == 202;
            if (!(clientError && hasMessage) && !validByChance) {
                failures.add(method + " " + path + " -> " + r.statusCode() + " " + r.body());
            }
        }
        assertThat(failures).isEmpty();
        assertThat(app.get("/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    @Order(7)
    void brokerDownGives503AndWritesNothing(Broker broker) {
        Assumptions.assumeTrue(broker.stoppable(), "the broker is external: this test cannot stop it");
        broker.stop().run();
        HttpResponse<String> down;
        try {
            down = post("attendance", OPERATOR, "application/json", "[" + attendance(S1, "2024-03-12", 100, 1, 1) + ","
                    + attendance(S3, "2024-03-12", 100, 1, 1) + "]");
        } finally {
            broker.start().run();
        }
        assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
        assertThat(read(down).get("error").asText()).contains("nothing was written");

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() ->
                post("attendance", OPERATOR, "application/json", "[" + attendance(S1, "2024-03-13", 10, 9, 1) + ","
                        + attendance(S3, "2024-03-13", 10, 9, 1) + "]").statusCode() == 202);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().untilAsserted(() ->
                assertThat(app.json("/api/v1/stats/province/" + P + "?date=2024-03-13").at("/attendance/present").asLong())
                        .isEqualTo(18));
        assertThat(app.json("/api/v1/stats/province/" + P + "?date=2024-03-12").at("/attendance/enrolled").asLong()).isZero();
    }

    @Test
    @Order(8)
    void aSchoolYearsMapLoadsWithOneCommandAndMovesOnlyThatYear(@TempDir Path dir) throws IOException {
        String commune = T + "-X1";
        Files.writeString(dir.resolve("districts.csv"), "code,name,province,scope\n" + commune
                + ",Phường Nhập Liệu," + P + ",commune\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("schools.json"), "[{\"schoolId\":\"" + S3 + "\",\"name\":\"Trường THPT Sơn Tây\","
                + "\"level\":\"UPPER_SECONDARY\",\"district\":\"" + commune + "\"}]", StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int loaded;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            loaded = Main.commandLine().execute("reference", "load", dir.toString(), "--school-year", "2025-2026",
                    "--url", app.url(""), "--token-file", tokenFile(dir, OPERATOR).toString());
        } finally {
            System.setOut(original);
        }
        assertThat(loaded).as(out.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(post("attendance", OPERATOR, "application/json", attendance(S3, "2025-10-01", 120, 110, 1))
                .statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode x = app.json("/api/v1/stats/commune/" + commune + "?date=2025-10-01");
            assertThat(x.get("scope").asText()).isEqualTo("commune");
            assertThat(x.at("/attendance/present").asLong()).isEqualTo(110);
            assertThat(x.get("registeredSchools").asLong()).isEqualTo(1);
        });
        // The years before keep the school in its district.
        assertThat(app.json("/api/v1/stats/district/" + D2 + "?date=2024-03-05").at("/attendance/present").asLong())
                .isEqualTo(150);
        assertThat(app.json("/api/v1/stats/district/" + D2 + "?date=2025-10-01").at("/attendance/present").asLong())
                .isZero();

        // Deleting the year's row: the timeless row (district 2) is in force again for 2025-2026.
        assertThat(app.send("DELETE", "/api/v1/reference/schools/" + S3 + "?schoolYear=2025-26", new byte[0],
                "Authorization", "Bearer " + OPERATOR).statusCode()).isEqualTo(400);
        HttpResponse<String> deleted = app.send("DELETE", "/api/v1/reference/schools/" + S3 + "?schoolYear=2025-2026",
                new byte[0], "Authorization", "Bearer " + OPERATOR);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(app.json("/api/v1/stats/district/" + D2 + "?date=2025-10-01").at("/attendance/present")
                        .asLong()).isEqualTo(110));
        assertThat(app.json("/api/v1/stats/commune/" + commune + "?date=2025-10-01").at("/attendance/present").asLong())
                .isZero();

        // A row of another school year than the one asked for is refused before anything is sent.
        Files.writeString(dir.resolve("schools.json"), "[{\"schoolId\":\"" + S3 + "\",\"name\":\"x\",\"level\":\"PRIMARY\","
                + "\"district\":\"" + commune + "\",\"schoolYear\":\"2024-2025\"}]", StandardCharsets.UTF_8);
        java.io.StringWriter err = new java.io.StringWriter();
        var cl = Main.commandLine();
        cl.setErr(new java.io.PrintWriter(err));
        assertThat(cl.execute("reference", "load", dir.toString(), "--school-year", "2025-2026", "--url", app.url(""),
                "--token-file", tokenFile(dir, OPERATOR).toString())).isEqualTo(1);
        assertThat(err.toString()).contains("is for school year 2024-2025, not 2025-2026");
    }

    @Test
    @Order(9)
    void aRevokedTokenIsRefusedByEveryInstanceAndAfterARestart(Broker broker) {
        Tokens.Issued leaked = TOKENS.issueForSchool(S1, Duration.ofDays(1));
        Tokens.Issued another = TOKENS.issueForSchool(S1, Duration.ofDays(1));
        String report = attendance(S1, "2024-03-14", 10, 9, 1);
        assertThat(post("attendance", leaked.token(), "application/json", report).statusCode()).isEqualTo(202);

        // The operator's command writes to the topic, not to this instance: the instance learns it from Kafka.
        int revoked = Main.commandLine().execute("token", "revoke", "--id", leaked.claims().tokenId(), "--expires-at",
                leaked.claims().expiresAt().toString(), "--reason", "left in a public repository",
                "--bootstrap-servers", broker.bootstrapServers());
        assertThat(revoked).isZero();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            HttpResponse<String> refused = post("attendance", leaked.token(), "application/json", report);
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(read(refused).get("error").asText()).contains("the token was revoked");
        });
        assertThat(post("attendance", another.token(), "application/json", report).statusCode())
                .as("only the revoked token is refused").isEqualTo(202);

        // Over HTTP: an operator may revoke, a school may not; a bad id is refused with the reason.
        String body = "{\"tokenId\":\"" + another.claims().tokenId() + "\",\"reason\":\"lost laptop\"}";
        HttpResponse<String> bySchool = app.send("POST", "/api/v1/tokens/revoked", body.getBytes(StandardCharsets.UTF_8),
                "Authorization", "Bearer " + another.token(), "Content-Type", "application/json");
        assertThat(bySchool.statusCode()).isEqualTo(403);
        HttpResponse<String> badId = app.send("POST", "/api/v1/tokens/revoked",
                "{\"tokenId\":\"no spaces please\"}".getBytes(StandardCharsets.UTF_8),
                "Authorization", "Bearer " + OPERATOR, "Content-Type", "application/json");
        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(read(badId).get("error").asText()).contains("token id");
        HttpResponse<String> byOperator = app.send("POST", "/api/v1/tokens/revoked", body.getBytes(StandardCharsets.UTF_8),
                "Authorization", "Bearer " + OPERATOR, "Content-Type", "application/json");
        assertThat(byOperator.statusCode()).as(byOperator.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(post("attendance", another.token(), "application/json", report).statusCode()).isEqualTo(401));

        // An instance that starts now (or this one, restarted) has read every revocation before it answers.
        try (RevokedTokens restarted = RevokedTokens.start(broker.bootstrapServers(), Map.of(), Duration.ofSeconds(60),
                Clock.systemUTC())) {
            assertThat(restarted.isRevoked(leaked.claims().tokenId())).isTrue();
            assertThat(restarted.isRevoked(another.claims().tokenId())).isTrue();
            assertThat(restarted.isRevoked(SCHOOL1_ID)).isFalse();
        }
    }

    @Test
    @Order(10)
    void aUnitsTokenSubmitsNothing() {
        String unit = TOKENS.issueForUnit(Scope.DISTRICT, D1, Duration.ofDays(1)).token();
        String refusal = "a unit's token reads its unit's detail; it cannot submit reports";
        List<HttpResponse<String>> refused = List.of(
                post("attendance", unit, "application/json", attendance(S1, "2024-03-15", 10, 9, 1)),
                post("completion", unit, "text/csv", "schoolId,schoolYear\n" + S1 + ",2023-2024\n"),
                post("exam", unit, "application/json", "[]"),
                // Even with no body at all: the token is refused before anything is read.
                app.send("POST", "/api/v1/reports/attendance", new byte[0], "Authorization", "Bearer " + unit),
                app.send("PUT", "/api/v1/reference/schools", "[]".getBytes(StandardCharsets.UTF_8),
                        "Authorization", "Bearer " + unit, "Content-Type", "application/json"),
                app.send("DELETE", "/api/v1/reference/schools/" + S1, new byte[0], "Authorization", "Bearer " + unit),
                app.send("POST", "/api/v1/tokens/revoked", ("{\"tokenId\":\"" + SCHOOL1_ID + "\"}")
                        .getBytes(StandardCharsets.UTF_8), "Authorization", "Bearer " + unit,
                        "Content-Type", "application/json"));
        for (HttpResponse<String> r : refused) {
            assertThat(r.statusCode()).as(r.request().method() + " " + r.uri() + " " + r.body()).isEqualTo(403);
            assertThat(read(r).get("error").asText()).startsWith(refusal);
        }
        HttpResponse<String> vietnamese = app.send("POST", "/api/v1/reports/attendance",
                attendance(S1, "2024-03-15", 10, 9, 1).getBytes(StandardCharsets.UTF_8), "Authorization", "Bearer " + unit,
                "Content-Type", "application/json", "Accept-Language", "vi");
        assertThat(vietnamese.statusCode()).isEqualTo(403);
        assertThat(read(vietnamese).get("error").asText()).startsWith("Mã truy cập của đơn vị");

        // Nothing of it was written: a marker sent after it, to the same school's partition, counts alone.
        assertThat(post("attendance", OPERATOR, "application/json", attendance(S1, "2024-03-18", 10, 8, 1)).statusCode())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(app.json("/api/v1/stats/district/" + D1 + "?date=2024-03-18").at("/attendance/present").asLong())
                        .isEqualTo(8));
        assertThat(app.json("/api/v1/stats/district/" + D1 + "?date=2024-03-15").at("/attendance/enrolled").asLong())
                .isZero();
        assertThat(app.get("/health/ready").statusCode()).isEqualTo(200);
    }

    private static Path tokenFile(Path dir, String token) throws IOException {
        return Files.writeString(dir.resolve("token"), token + "\n");
    }

    private static String attendance(String school, String date, int enrolled, int present, int revision) {
        return String.format("{\"schoolId\":\"%s\",\"date\":\"%s\",\"enrolled\":%d,\"present\":%d,\"revision\":%d}",
                school, date, enrolled, present, revision);
    }

    private static HttpResponse<String> post(String type, String token, String contentType, String body) {
        List<String> headers = new ArrayList<>(List.of("Content-Type", contentType));
        Optional.ofNullable(token).ifPresent(t -> headers.addAll(List.of("Authorization", "Bearer " + t)));
        return app.send("POST", "/api/v1/reports/" + type, body.getBytes(StandardCharsets.UTF_8),
                headers.toArray(String[]::new));
    }

    private static void put(String kind, String json) {
        // The first transaction on a fresh broker can take longer than the 3 s this service waits for
        // Kafka when the machine is busy: a 503 here is retried (the rows are idempotent).
        HttpResponse<String> r = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() ->
                app.send("PUT", "/api/v1/reference/" + kind, json.getBytes(StandardCharsets.UTF_8),
                        "Authorization", "Bearer " + OPERATOR, "Content-Type", "application/json"),
                response -> response.statusCode() != 503);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    private static JsonNode read(HttpResponse<String> response) {
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(response.body(), e);
        }
    }
}
