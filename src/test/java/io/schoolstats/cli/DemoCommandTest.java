package io.schoolstats.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.schoolstats.report.Json;
import java.io.IOException;
import java.io.StringWriter;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The newcomer's first command: statistics for districts, provinces and clusters within a minute. */
class DemoCommandTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void demoShowsBothMapsWithinAMinute(@TempDir Path data) throws Exception {
        DemoCommand command = new DemoCommand();
        int httpPort = freePort();
        new CommandLine(command).parseArgs("--http-port", String.valueOf(httpPort), "--kafka-port",
                String.valueOf(freePort()), "--data-dir", data.toString(), "--day-seconds", "3");
        List<String> log = new CopyOnWriteArrayList<>();
        try (DemoCommand.Demo demo = command.start(log::add)) {
            String base = "http://localhost:" + httpPort;
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().untilAsserted(() -> {
                // The current school year, 2025-2026: communes, 34 provinces, schools directly under a province.
                JsonNode ward = get(base + "/api/v1/stats/commune/00331");
                assertThat(ward.get("scope").asText()).isEqualTo("commune");
                assertThat(ward.get("schoolYear").asText()).isEqualTo("2025-2026");
                assertThat(ward.at("/attendance/present").asLong()).isPositive();
                assertThat(get(base + "/api/v1/stats/province/01").at("/attendance/reportingSchools").asLong()).isPositive();
                JsonNode tuyenQuang = get(base + "/api/v1/stats/province/08");
                JsonNode haGiang = get(base + "/api/v1/stats/province/02?schoolYear=2023-2024");
                // The demo has schools in Hà Giang (02), none in the old Tuyên Quang: since 2025 they are Tuyên Quang's (08).
                assertThat(tuyenQuang.get("registeredSchools").asLong()).isPositive()
                        .isEqualTo(haGiang.get("registeredSchools").asLong());
                assertThat(tuyenQuang.get("name").asText()).isEqualTo("Tuyên Quang");
                assertThat(get(base + "/api/v1/stats/cluster/HN-P1").at("/attendance/enrolled").asLong()).isPositive();
                assertThat(get(base + "/api/v1/stats/cluster/MOET-C4").at("/members")).hasSize(7);
                // The years before, under districts and 63 provinces.
                assertThat(get(base + "/api/v1/stats/district/008?schoolYear=2024-2025").at("/attendanceSchoolYear/present")
                        .asLong()).isPositive();
                assertThat(get(base + "/api/v1/stats/province/02?schoolYear=2023-2024").at("/exams/0/candidates")
                        .asLong()).isPositive();
                assertThat(get(base + "/api/v1/stats/cluster/MOET-C4?schoolYear=2023-2024").at("/exams/0/candidates")
                        .asLong()).isPositive();
                assertThat(get(base + "/api/v1/clusters/MOET-C4/ranking?schoolYear=2023-2024&indicator=attendance_ratio")
                        .at("/indicators/0/ranking")).hasSize(7);
            });
            assertThat(log).anyMatch(line -> line.contains("reference data sent"));
            assertThat(data.resolve("kafka/server.properties")).exists();
        }
    }

    @Test
    void aTakenPortIsReportedClearly(@TempDir Path data) throws IOException {
        try (ServerSocket taken = new ServerSocket(0)) {
            StringWriter err = new StringWriter();
            CommandLine cl = Main.commandLine();
            cl.setErr(new PrintWriter(err));
            int code = cl.execute("demo", "--http-port", String.valueOf(taken.getLocalPort()), "--data-dir", data.toString());
            assertThat(code).isEqualTo(1);
            assertThat(err.toString()).contains("port " + taken.getLocalPort()).contains("taken");
        }
    }

    private JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.MAPPER.readTree(response.body());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
