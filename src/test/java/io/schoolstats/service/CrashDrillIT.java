package io.schoolstats.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.schoolstats.report.Json;
import io.schoolstats.testing.KafkaBroker;
import io.schoolstats.testing.KafkaBroker.Broker;
import io.schoolstats.testing.PrometheusText;
import io.schoolstats.testing.Reports;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The crash drill of issue 12, with the real jar: two `serve` processes of one application id on
 * the test broker, a few thousand reports with corrections and a school moving, one instance
 * killed with SIGKILL mid-stream. The survivor must answer for every unit; once the killed one is
 * back, the union of both /metrics and every API read from either must equal a plain computation
 * from the winning revisions. Prints the takeover time (README, Several instances).
 */
@ExtendWith(KafkaBroker.class)
class CrashDrillIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Path JAR = Path.of("target", "schoolstats.jar");
    private static final int DISTRICTS = 10;
    private static final int SCHOOLS_PER_DISTRICT = 8;
    private static final int DAYS = 20;

    /** One `serve` process. */
    private record Instance(Process process, int port) {
        String url(String path) {
            return "http://localhost:" + port + path;
        }
    }

    @ParameterizedTest(name = "standby replicas: {0}")
    @ValueSource(ints = {1, 0})
    void aKilledInstanceIsTakenOverAndNothingIsLostOrCountedTwice(int standbys, Broker broker, @TempDir Path dir)
            throws Exception {
        assertThat(JAR).as("the drill runs the packaged jar (mvn verify builds it before the drill)").exists();
        String t = "C" + UUID.randomUUID().toString().substring(0, 5);
        String app = "drill-" + t;
        int port1 = freePort();
        int port2 = freePort();
        Instance one = start(broker, app, dir.resolve("one"), port1, standbys);
        Instance two = null;
        try {
            awaitReady(one);
            two = start(broker, app, dir.resolve("two"), port2, standbys);
            awaitReady(two);

            // Winning revision per school and day: {revision, enrolled, present}.
            Map<String, int[]> winning = new HashMap<>();
            Map<String, String> districtOf = new HashMap<>();
            List<String> districts = new ArrayList<>();
            Random random = new Random(42);
            try (Reports reports = new Reports(broker.bootstrapServers())) {
                reports.province(t + "-P", "Tỉnh");
                for (int d = 0; d < DISTRICTS; d++) {
                    String district = t + "-D" + d;
                    districts.add(district);
                    reports.district(district, "Huyện " + d, t + "-P");
                    for (int s = 0; s < SCHOOLS_PER_DISTRICT; s++) {
                        String school = district + "-S" + s;
                        districtOf.put(school, district);
                        reports.school(school, district);
                    }
                }
                List<String> schools = new ArrayList<>(districtOf.keySet());
                for (int day = 1; day <= DAYS; day++) {
                    String date = String.format("2024-03-%02d", day);
                    for (String school : schools) {
                        // Sent in a shuffled order of revisions: 2 before 1 sometimes, duplicates too.
                        int enrolled = 100 + random.nextInt(50);
                        int revisions = 1 + random.nextInt(3);
                        List<Integer> order = new ArrayList<>();
                        for (int r = 1; r <= revisions; r++) {
                            order.add(r);
                        }
                        java.util.Collections.shuffle(order, random);
                        if (random.nextInt(10) == 0) {
                            order.add(order.get(0)); // a re-send
                        }
                        for (int r : order) {
                            int present = random.nextInt(enrolled + 1);
                            reports.attendance(school, date, enrolled, present, r);
                            String key = school + "|" + date;
                            int[] held = winning.get(key);
                            if (held == null || r > held[0]) { // the same revision again is a duplicate: the first stays
                                winning.put(key, new int[] {r, enrolled, present});
                            }
                        }
                    }
                    reports.flush();
                    if (day == DAYS / 2) {
                        // Mid-stream: one instance dies without a word, and a school moves.
                        two.process().destroyForcibly();
                        String moving = t + "-D0-S0";
                        reports.school(moving, t + "-D1");
                        districtOf.put(moving, t + "-D1");
                        reports.flush();
                        long killedAt = System.nanoTime();
                        Instance survivor = one;
                        // Seconds, not minutes: the session times out after 10 s, then a standby (or a
                        // restore) takes over. 60 s leaves room for a loaded machine.
                        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                                districts.stream().allMatch(d -> status(survivor, "/api/v1/stats/district/" + d) == 200));
                        System.out.printf("[CrashDrillIT] standby replicas %d: the survivor answered for every unit "
                                + "%.1f s after the kill%n", standbys, (System.nanoTime() - killedAt) / 1e9);
                        two = start(broker, app, dir.resolve("two"), port2, standbys);
                    }
                }
            }
            awaitReady(two);

            // Expected, per district: the school year's present and enrolled of the schools in force now.
            Map<String, long[]> expected = new HashMap<>();
            winning.forEach((key, w) -> {
                long[] sums = expected.computeIfAbsent(districtOf.get(key.substring(0, key.indexOf('|'))),
                        d -> new long[2]);
                sums[0] += w[2];
                sums[1] += w[1];
            });
            Instance restarted = two;
            List<Instance> both = List.of(one, restarted);
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                for (Instance instance : both) {
                    for (String d : districts) {
                        JsonNode view = json(instance, "/api/v1/stats/district/" + d + "?schoolYear=2023-2024");
                        assertThat(new long[] {view.at("/attendanceSchoolYear/present").asLong(),
                                view.at("/attendanceSchoolYear/enrolled").asLong()}).as(d).containsExactly(expected.get(d));
                    }
                }
                PrometheusText m1 = new PrometheusText(body(one, "/metrics"));
                PrometheusText m2 = new PrometheusText(body(restarted, "/metrics"));
                for (String d : districts) {
                    List<PrometheusText.Sample> series = new ArrayList<>(m1.find("schoolstats_attendance_school_year_ratio",
                            "code", d, "school_year", "2023-2024"));
                    series.addAll(m2.find("schoolstats_attendance_school_year_ratio", "code", d, "school_year", "2023-2024"));
                    assertThat(series).as("series of %s over both instances", d).hasSize(1);
                    assertThat(series.get(0).value()).isCloseTo((double) expected.get(d)[0] / expected.get(d)[1],
                            org.assertj.core.data.Offset.offset(1e-9));
                }
            });
        } finally {
            one.process().destroy();
            if (two != null) {
                two.process().destroy();
            }
            one.process().waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
            if (two != null) {
                two.process().waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }

    private static Instance start(Broker broker, String app, Path state, int port, int standbys) throws IOException {
        Files.createDirectories(state);
        Path log = state.resolve("serve-" + System.nanoTime() + ".log");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-jar", JAR.toAbsolutePath().toString(), "serve",
                "--bootstrap-servers", broker.bootstrapServers(), "--http-port", String.valueOf(port),
                "--state-dir", state.resolve("state").toString(), "--application-id", app,
                "--advertised-url", "http://localhost:" + port, "--standby-replicas", String.valueOf(standbys))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Instance(process, port);
    }

    private static void awaitReady(Instance instance) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() ->
                status(instance, "/health/ready") == 200);
    }

    private static int status(Instance instance, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(instance.url(path))).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String body(Instance instance, String path) throws IOException, InterruptedException {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(instance.url(path)))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(200);
        return answer.body();
    }

    private static JsonNode json(Instance instance, String path) throws IOException, InterruptedException {
        return Json.MAPPER.readTree(body(instance, path));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
