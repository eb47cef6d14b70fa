package io.schoolstats.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.schoolstats.report.Json;
import io.schoolstats.service.StatsService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** {@code serve}, started in this JVM against the test broker, with an HTTP client for its API. */
public final class RunningService implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final StatsService service;
    private final int port;

    public RunningService(String bootstrapServers, String applicationId, Path stateDir) {
        this(bootstrapServers, applicationId, stateDir, StatsService.Ingestion.disabled());
    }

    public RunningService(String bootstrapServers, String applicationId, Path stateDir, StatsService.Ingestion ingestion) {
        this(bootstrapServers, applicationId, stateDir, ingestion, 0); // one instance: no standby to place
    }

    /** One of several instances of {@code applicationId}, reachable at http://localhost:port. */
    public RunningService(String bootstrapServers, String applicationId, Path stateDir, StatsService.Ingestion ingestion,
                          int standbyReplicas) {
        this(bootstrapServers, applicationId, stateDir, ingestion, standbyReplicas, 2, Map.of());
    }

    /** One instance with {@code partitions} ({@code --partitions}) and more Kafka settings ({@code kafka.*}). */
    public RunningService(String bootstrapServers, String applicationId, Path stateDir, int partitions,
                          Map<String, String> kafka) {
        this(bootstrapServers, applicationId, stateDir, StatsService.Ingestion.disabled(), 0, partitions, kafka);
    }

    private RunningService(String bootstrapServers, String applicationId, Path stateDir, StatsService.Ingestion ingestion,
                           int standbyReplicas, int partitions, Map<String, String> kafka) {
        this.port = freePort();
        Map<String, String> settings = new java.util.HashMap<>(Map.of("commit.interval.ms", "100"));
        settings.putAll(kafka);
        this.service = new StatsService(new StatsService.Settings(bootstrapServers, port, stateDir, applicationId,
                settings, partitions, Optional.empty(), ingestion, null, null,
                new StatsService.Instances("http://localhost:" + port, standbyReplicas), null)).start();
    }

    /** A request with a body, headers as name, value pairs. */
    public HttpResponse<String> send(String method, String path, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(60))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public StatsService service() {
        return service;
    }

    public String url(String path) {
        return "http://localhost:" + port + path;
    }

    /** GET a path; returns status and body. */
    public HttpResponse<String> get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public JsonNode json(String path) {
        try {
            return Json.MAPPER.readTree(get(path).body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public PrometheusText metrics() {
        return new PrometheusText(get("/metrics").body());
    }

    @Override
    public void close() {
        service.close();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
