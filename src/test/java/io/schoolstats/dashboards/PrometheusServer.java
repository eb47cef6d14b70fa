package io.schoolstats.dashboards;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.schoolstats.report.Json;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus process (the {@code prometheus} binary, e.g. Debian's package) on loopback,
 * scraping one target every second, with its storage in a temporary directory.
 */
final class PrometheusServer implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final Path log;
    private final String base;

    /** The binary: {@code $PROMETHEUS_BIN}, else {@code prometheus} on the PATH, else the usual places. */
    static Optional<Path> binary() {
        List<Path> candidates = new ArrayList<>();
        String configured = System.getenv("PROMETHEUS_BIN");
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isBlank()) {
                candidates.add(Path.of(dir, "prometheus"));
            }
        }
        candidates.add(Path.of("/usr/bin/prometheus"));
        candidates.add(Path.of("/usr/local/bin/prometheus"));
        return candidates.stream().filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
    }

    /** Starts Prometheus scraping every one of {@code targets} (host:port, path /metrics) every second, as one job. */
    PrometheusServer(Path binary, List<String> targets, Path dir) throws IOException {
        this(binary, targets, List.of(), dir);
    }

    /** The same, evaluating the rules of {@code ruleFiles} every second (groups with their own interval at theirs). */
    PrometheusServer(Path binary, List<String> targets, List<Path> ruleFiles, Path dir) throws IOException {
        int port = freePort();
        base = "http://127.0.0.1:" + port;
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files: [%s]
                scrape_configs:
                  - job_name: schoolstats
                    scrape_interval: 1s
                    scrape_timeout: 1s
                    metrics_path: /metrics
                    static_configs:
                      - targets: [%s]
                """.formatted(quoted(ruleFiles.stream().map(f -> f.toAbsolutePath().toString()).toList()),
                quoted(targets)));
        log = dir.resolve("prometheus.log");
        process = new ProcessBuilder(binary.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--storage.tsdb.retention.time=1h", "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await("Prometheus ready on " + base).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("Prometheus exited: " + log());
                        }
                        return status("/-/ready") == 200;
                    });
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The log so far, for failure messages. */
    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** An instant query: the {@code data} of the answer; fails on an error answer. */
    JsonNode query(String promql) {
        return api("/api/v1/query?query=" + encode(promql));
    }

    /** The number of series (or 1 for a scalar or string) an instant query returns. */
    int seriesCount(String promql) {
        JsonNode data = query(promql);
        JsonNode result = data.path("result");
        return result.isArray() ? result.size() : result.isMissingNode() || result.isNull() ? 0 : 1;
    }

    /** Values of a label over the series that match a selector (all series when empty). */
    List<String> labelValues(String label, String selector) {
        String path = "/api/v1/label/" + encode(label) + "/values"
                + (selector.isBlank() ? "" : "?match[]=" + encode(selector));
        List<String> values = new ArrayList<>();
        api(path).forEach(v -> values.add(v.asText()));
        return values;
    }

    JsonNode api(String pathAndQuery) {
        HttpResponse<String> response = get(pathAndQuery);
        try {
            JsonNode body = Json.MAPPER.readTree(response.body());
            if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
                throw new IllegalStateException("Prometheus " + pathAndQuery + " answered " + response.statusCode()
                        + ": " + body.path("errorType").asText() + ": " + body.path("error").asText());
            }
            return body.path("data");
        } catch (IOException e) {
            throw new UncheckedIOException("Prometheus " + pathAndQuery + " answered " + response.body(), e);
        }
    }

    private int status(String path) {
        try {
            return get(path).statusCode();
        } catch (UncheckedIOException e) {
            return -1;
        }
    }

    private HttpResponse<String> get(String pathAndQuery) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String quoted(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").collect(java.util.stream.Collectors.joining(", "));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
